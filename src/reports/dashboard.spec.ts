import { PAIRING_STATES, type PairingState } from '../../workflows';
import { buildDashboard, type DashboardPairing } from './dashboard';

const pairing = (id: number, state: PairingState): DashboardPairing => ({
  id,
  code: `PH-2026-${String(id).padStart(3, '0')}`,
  title: `项目${id}`,
  state,
  leadBranchId: 1,
  leadBranchName: '立案庭党支部',
  quarterScores: [],
  finalScore: null,
  context: null,
  task: null,
});

const dashboard = (states: readonly PairingState[]) =>
  buildDashboard({
    year: 2026,
    today: '2026-12-01',
    pairings: states.map((state, i) => pairing(i + 1, state)),
    activities: [],
    outcomes: { pairings: [], indicators: [] },
  });

describe(buildDashboard.name, () => {
  it('counts as running (进行中) only the pairings under way, from the signed agreement to the review', () => {
    const d = dashboard(PAIRING_STATES);
    const counted = PAIRING_STATES.filter((state) => dashboard([state]).totals.running === 1);
    expect(counted).toEqual([
      'agreementSigned',
      'planFiled',
      'active.collecting',
      'active.reportSubmitted',
      'yearEndReview',
      'underReview',
    ]);
    expect(d.totals).toMatchObject({ pairings: PAIRING_STATES.length, running: 6, scored: 1 });
  });

  it('does not count proposals (drafts, submitted, returned) as running', () => {
    expect(dashboard(['draft', 'proposed', 'returned', 'proposed']).totals).toMatchObject({ pairings: 4, running: 0 });
    expect(dashboard(['draft', 'active.collecting', 'proposed']).totals.running).toBe(1);
  });
});
