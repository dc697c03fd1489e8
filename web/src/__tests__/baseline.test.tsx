import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { fieldLabel } from '../../../workflows/payload-labels';
import { BASELINE } from '../labels';
import { IndicatorTable } from '../overview/indicators';

afterEach(cleanup);

// Every screen's source, read as text: the baseline must not be called anything else anywhere.
const sources = import.meta.glob(['../**/*.{ts,tsx}', '!../__tests__/**'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('the outcome baseline (SPEC §14 baseline)', () => {
  it('has one name, 上年基数, shared with the history, the CSV and the dossier', () => {
    expect(BASELINE).toEqual({ zh: '上年基数', en: 'Baseline' });
    expect(fieldLabel('baseline')).toBe(BASELINE.zh);
  });

  it('is called 上年基数 on every screen, never 基数 or 年初基数 alone', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    const other = Object.entries(sources).flatMap(([file, text]) =>
      [...text.matchAll(/.{0,12}(?<!上年)基数.{0,4}/g)].map((m) => `${file}: ${m[0]}`),
    );
    expect(other).toEqual([]);
  });

  it('heads the column of the indicators’ table', () => {
    render(
      <IndicatorTable
        indicators={[{ name: '家事纠纷诉前化解率', unit: '%', higherIsBetter: true, baseline: 48.1, target: 58, quarterly: [], final: null, finalFrom: null, change: null, improved: null, targetMet: null }]}
      />,
    );
    expect(screen.getByRole('columnheader', { name: '上年基数' })).toBeTruthy();
  });
});
