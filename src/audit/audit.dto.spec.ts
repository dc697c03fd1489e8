import { isIsoInstant } from './audit.dto';

describe(isIsoInstant.name, () => {
  it.each(['2026-01-01T00:00:00.000Z', '2026-01-01T08:00:00+08:00', '2026-02-28T23:59Z', '2024-02-29T12:00:00.123456-05:30'])(
    'accepts %s',
    (value) => {
      expect(isIsoInstant(value)).toBe(true);
    },
  );

  it.each([
    '2026-01-01',
    '2026-01-01T10:00:00',
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    'yesterday',
    '',
    20260101,
  ])('refuses %s', (value) => {
    expect(isIsoInstant(value)).toBe(false);
  });
});
