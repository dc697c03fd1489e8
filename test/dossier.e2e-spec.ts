import { auth, Court, PairingView } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

interface RevisionView {
  revision: number;
  seq: number;
  submittedAt: string;
  submittedBy: string | null;
  submittedByName: string | null;
  proposal: Record<string, unknown>;
  changes: { field: string; from: unknown; to: unknown }[];
  outcome: { type: string; at: string; actorId: string | null; comment: string | null } | null;
  names: { users: Record<string, string>; branches: Record<string, string>; partners: Record<string, string> };
}

describe.each(engines())('Revisions and dossiers on %s', (engine) => {
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
  });
  afterAll(() => t.close());

  const get = async (url: string, as = 'committee') =>
    t
      .http()
      .get(url)
      .set(auth(await court.token(as)));

  describe('revisions', () => {
    let pairing: PairingView;
    let partners: Map<number, string>;

    beforeAll(async () => {
      const list = await get('/api/partners');
      partners = new Map(list.body.map((p: { id: number; name: string }) => [p.id, p.name]));
      pairing = await court.driveTo('proposed');
      await court.do('committee', pairing.id, { type: 'RETURN', comment: '请补充共建单位，并更换联络员' });
      await court.user('member2', ['member'], court.leadBranch);
      const edited = await court.patch('secretary', pairing.id, {
        title: `${pairing.title}（修改稿）`,
        partnerIds: [5, 4],
        partnerLiaisons: [{ partnerId: 4, name: '张联络', phone: '0573-85000000' }],
        liaisonUserId: court.id('member2'),
      });
      expect(edited.status).toBe(200);
      await court.do('secretary', pairing.id, { type: 'SUBMIT' });
    });

    it('lists each submission as a revision, the second with the changed fields old and new', async () => {
      const res = await get(`/api/pairings/${pairing.id}/revisions`);
      expect(res.status).toBe(200);
      const revisions: RevisionView[] = res.body;
      expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
      const [first, second] = revisions;
      expect(first).toMatchObject({
        submittedBy: String(court.id('secretary')),
        submittedByName: expect.stringContaining('李立案'),
        changes: [],
        outcome: { type: 'RETURN', comment: '请补充共建单位，并更换联络员', actorId: String(court.id('committee')) },
      });
      expect(first.proposal).toMatchObject({ code: pairing.code, title: pairing.title, partnerIds: [4] });
      expect(second.outcome).toBeNull();
      expect(second.changes).toEqual([
        { field: 'title', from: pairing.title, to: `${pairing.title}（修改稿）` },
        { field: 'partnerIds', from: [4], to: [5, 4] },
        { field: 'liaisonUserId', from: court.id('member'), to: court.id('member2') },
      ]);
      // Partners and liaisons by name, not id.
      expect(second.names.partners).toEqual({ '4': partners.get(4), '5': partners.get(5) });
      expect(second.names.users).toMatchObject({
        [String(court.id('member'))]: expect.any(String),
        [String(court.id('member2'))]: 'member2',
      });
      expect(second.names.branches).toEqual({ [String(court.leadBranch)]: '立案庭党支部' });
      const history = await court.history(pairing.id);
      expect(revisions.map((r) => r.seq)).toEqual(history.filter((e) => e.type === 'SUBMIT').map((e) => e.seq));
      expect(second.submittedAt).toBe(history.find((e) => e.seq === second.seq)!.at);
    });

    it('is there for whoever may see the pairing, and for nobody else', async () => {
      expect((await get(`/api/pairings/${pairing.id}/revisions`, 'member')).status).toBe(200);
      expect((await get(`/api/pairings/${pairing.id}/revisions`, 'auditor')).status).toBe(200);
      const other = await get(`/api/pairings/${pairing.id}/revisions`, 'secretary2');
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('NOT_FOUND');
      expect((await get('/api/pairings/999999/revisions')).status).toBe(404);
      const bad = await get('/api/pairings/abc/revisions');
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect((await t.http().get(`/api/pairings/${pairing.id}/revisions`)).status).toBe(401);
    });

    it('is empty for a draft never submitted', async () => {
      const draft = await court.create();
      expect((await get(`/api/pairings/${draft.id}/revisions`)).body).toEqual([]);
    });
  });
});
