import { EVENT_LABELS, labelOf, pairingForm, STATE_LABELS, TASK_LABELS } from './labels';
import { PAIRING_EVENT_TYPES, PAIRING_STATES } from './pairing.types';

describe('labels', () => {
  it('name every state and every event in both languages, each state differently', () => {
    for (const state of PAIRING_STATES) expect(STATE_LABELS[state]).toEqual({ zh: expect.any(String), en: expect.any(String) });
    for (const type of PAIRING_EVENT_TYPES) expect(EVENT_LABELS[type].zh).not.toBe('');
    const names = PAIRING_STATES.map((state) => STATE_LABELS[state].zh);
    expect(new Set(names).size).toBe(names.length);
  });

  it('call the quarter report one thing: 季度报告 (通报 is the leaders’ bulletin)', () => {
    const texts = [STATE_LABELS['active.reportSubmitted'].zh, EVENT_LABELS.SUBMIT_QUARTER_REPORT.zh, TASK_LABELS.SUBMIT_QUARTER_REPORT.zh];
    for (const text of texts) {
      expect(text).toContain('季度报告');
      expect(text).not.toContain('通报');
    }
  });

  it('give a pairing with no partner yet no form, one branch with one partner 一对一, more of either 一对多', () => {
    expect(pairingForm({ coBranchIds: [], partnerIds: [] })).toBeNull();
    expect(pairingForm({ coBranchIds: [2], partnerIds: [] })).toBeNull();
    expect(pairingForm({ coBranchIds: [], partnerIds: [4] })).toBe('one_to_one');
    expect(pairingForm({ coBranchIds: [], partnerIds: [4, 5] })).toBe('one_to_many');
    expect(pairingForm({ coBranchIds: [2], partnerIds: [4] })).toBe('one_to_many');
  });

  it('fall back to the key for what they do not know', () => {
    expect(labelOf(STATE_LABELS, 'draft', 'en')).toBe('Draft');
    expect(labelOf(EVENT_LABELS, 'SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});
