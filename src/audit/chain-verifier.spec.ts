import { auditHash, canonicalJson, GENESIS_HASH } from './canonical-json';
import { ChainHeadRow, ChainVerifier, StoredAuditEvent, storedHash } from './chain-verifier';

/** A well-formed chain of `length` events, as audit_event stores them. */
function chainOf(chain: string, length: number): StoredAuditEvent[] {
  const rows: StoredAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const payload = seq % 3 === 0 ? null : { note: `第${seq}条, "quoted"`, n: seq, nested: { b: 1, a: [1, 2] } };
    const fields = {
      chain,
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actorId: seq === 1 ? null : String(seq),
      type: seq === 1 ? 'CREATE' : 'EDIT',
      fromState: seq === 1 ? null : 'draft',
      toState: 'draft',
      payload,
      comment: seq === 2 ? '意见' : null,
      prevHash,
    };
    const hash = auditHash(fields);
    rows.push({ ...fields, payload: payload === null ? null : canonicalJson(payload), hash });
    prevHash = hash;
  }
  return rows;
}

const headOf = (rows: StoredAuditEvent[]): ChainHeadRow => ({ chain: rows[0].chain, seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });

/** Feeds rows in batches of `size`, each with the head rows of the chains it touches, as the service does. */
function verifyInBatches(rows: StoredAuditEvent[], heads: ChainHeadRow[], size: number, orphans: ChainHeadRow[] = []) {
  const verifier = new ChainVerifier();
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    const chains = new Set(batch.map((row) => row.chain));
    verifier.add(
      batch,
      heads.filter((head) => chains.has(head.chain)),
    );
  }
  verifier.end(orphans);
  return verifier;
}

describe(ChainVerifier.name, () => {
  const a = chainOf('pairing:1', 12);
  const b = chainOf('pairing:2', 5);
  const system = chainOf('system', 9);
  const all = [...a, ...b, ...system];
  const heads = [headOf(a), headOf(b), headOf(system)];

  it.each([1, 4, 7, 1000])('accepts intact chains fed in batches of %i', (size) => {
    const result = verifyInBatches(all, heads, size).result();
    expect(result).toEqual({ ok: true, chains: 3, events: all.length, failures: [] });
  });

  it('names an altered payload at its seq, and only that chain', () => {
    const rows = all.map((row) =>
      row.chain === 'pairing:2' && row.seq === 4 ? { ...row, payload: canonicalJson({ n: 4, note: '改过' }) } : row,
    );
    const result = verifyInBatches(rows, heads, 4).result();
    expect(result.ok).toBe(false);
    expect(result.events).toBe(all.length);
    expect(result.failures).toEqual([{ chain: 'pairing:2', seq: 4, reason: "hash does not match the event's contents" }]);
  });

  it('names a comment changed from null, and an altered `at`', () => {
    const rows = a.map((row) =>
      row.seq === 6 ? { ...row, comment: '' } : row.seq === 9 ? { ...row, at: '2026-01-01T00:00:00.000Z' } : row,
    );
    expect(verifyInBatches(rows, [headOf(a)], 5).result().failures).toEqual([
      { chain: 'pairing:1', seq: 6, reason: "hash does not match the event's contents" },
    ]);
  });

  it('names a payload that is not stored as canonical JSON, even when it parses to the hashed value', () => {
    const rows = a.map((row) => (row.seq === 2 ? { ...row, payload: JSON.stringify(JSON.parse(row.payload!), null, 1) } : row));
    expect(verifyInBatches(rows, [headOf(a)], 3).result().failures).toEqual([
      { chain: 'pairing:1', seq: 2, reason: 'the stored payload is not in canonical JSON form' },
    ]);
  });

  it('names a payload that is not JSON at all', () => {
    const rows = a.map((row) => (row.seq === 5 ? { ...row, payload: '{"n":' } : row));
    expect(verifyInBatches(rows, [headOf(a)], 3).result().failures).toEqual([
      { chain: 'pairing:1', seq: 5, reason: 'the stored payload is not valid JSON' },
    ]);
  });

  it('names a missing seq', () => {
    const rows = a.filter((row) => row.seq !== 7);
    expect(verifyInBatches(rows, [headOf(a)], 3).result().failures).toEqual([{ chain: 'pairing:1', seq: 7, reason: 'seq 7 is missing' }]);
    const gap = a.filter((row) => row.seq < 4 || row.seq > 6);
    expect(verifyInBatches(gap, [headOf(a)], 100).result().failures).toEqual([
      { chain: 'pairing:1', seq: 4, reason: 'seqs 4–6 are missing' },
    ]);
  });

  it('names a chain that does not start at seq 1', () => {
    expect(verifyInBatches(a.slice(1), [headOf(a)], 4).result().failures).toEqual([
      { chain: 'pairing:1', seq: 1, reason: 'seq 1 is missing' },
    ]);
  });

  it('names a wrong prevHash, and a first event that does not start from the genesis hash', () => {
    const rows = a.map((row) => (row.seq === 8 ? { ...row, prevHash: a[2].hash } : row));
    expect(verifyInBatches(rows, [headOf(a)], 4).result().failures).toEqual([
      { chain: 'pairing:1', seq: 8, reason: 'prevHash does not match seq 7' },
    ]);
    const first = a.map((row) => (row.seq === 1 ? { ...row, prevHash: 'f'.repeat(64) } : row));
    expect(verifyInBatches(first, [headOf(a)], 4).result().failures).toEqual([
      { chain: 'pairing:1', seq: 1, reason: 'prevHash of the first event is not the genesis hash (64 zeros)' },
    ]);
  });

  it('names the first broken seq of each chain, once per chain', () => {
    // pairing:1 is broken at seq 3 and again at 10: only the first is named.
    const rows = all.map((row) => {
      if (row.chain === 'pairing:1' && (row.seq === 3 || row.seq === 10)) return { ...row, type: 'TAMPERED' };
      if (row.chain === 'system' && row.seq === 5) return { ...row, prevHash: GENESIS_HASH };
      return row;
    });
    const result = verifyInBatches(rows, heads, 2).result();
    expect(result.failures).toEqual([
      { chain: 'pairing:1', seq: 3, reason: "hash does not match the event's contents" },
      { chain: 'system', seq: 5, reason: 'prevHash does not match seq 4' },
    ]);
    expect(result.chains).toBe(3);
  });

  it('names the next link when an event was rewritten with a recomputed hash', () => {
    const forged = { ...a[4], comment: '伪造' };
    const { hash: _, ...fields } = forged;
    const recomputed = { ...forged, hash: auditHash({ ...fields, payload: fields.payload === null ? null : JSON.parse(fields.payload) }) };
    const rows = a.map((row) => (row.seq === 5 ? recomputed : row));
    expect(verifyInBatches(rows, [headOf(a)], 4).result().failures).toEqual([
      { chain: 'pairing:1', seq: 6, reason: 'prevHash does not match seq 5' },
    ]);
  });

  describe('against audit_chain_head', () => {
    it('reports a head ahead of the last event for the caller to confirm, and names the first missing seq when told it was truncated', () => {
      const verifier = verifyInBatches(a.slice(0, 10), [headOf(a)], 4);
      expect(verifier.headsAhead()).toEqual([{ chain: 'pairing:1', lastSeq: 10, head: headOf(a) }]);
      expect(verifier.result().ok).toBe(true);
      verifier.markTruncated(verifier.headsAhead()[0]);
      expect(verifier.result().failures).toEqual([
        { chain: 'pairing:1', seq: 11, reason: 'seq 11 is missing: the chain ends at seq 10, but its head says it reaches seq 12' },
      ]);
    });

    it('names events beyond the head, a head whose hash differs, and a chain without a head row', () => {
      const behind = verifyInBatches(a, [{ chain: 'pairing:1', seq: 10, hash: a[9].hash }], 5).result();
      expect(behind.failures).toEqual([
        { chain: 'pairing:1', seq: 11, reason: 'seq 11 lies beyond the chain head, which says the chain ends at seq 10' },
      ]);
      const rehashed = verifyInBatches(a, [{ ...headOf(a), hash: 'a'.repeat(64) }], 5).result();
      expect(rehashed.failures).toEqual([{ chain: 'pairing:1', seq: 12, reason: "the chain head's hash does not match seq 12" }]);
      const headless = verifyInBatches(all, [headOf(a), headOf(system)], 5).result();
      expect(headless.failures).toEqual([
        { chain: 'pairing:2', seq: 5, reason: 'the chain has no head (no pairing row, or no row in audit_chain_head)' },
      ]);
    });

    it('uses the freshest head of a chain that spans batches', () => {
      const verifier = new ChainVerifier();
      verifier.add(a.slice(0, 6), [{ chain: 'pairing:1', seq: 6, hash: a[5].hash }]);
      verifier.add(a.slice(6), [headOf(a)]);
      verifier.end();
      expect(verifier.result()).toEqual({ ok: true, chains: 1, events: 12, failures: [] });
      expect(verifier.headsAhead()).toEqual([]);
    });

    it('names a head that claims events for a chain that has none', () => {
      const result = verifyInBatches(b, [headOf(b)], 10, [{ chain: 'pairing:9', seq: 4, hash: 'c'.repeat(64) }]).result();
      expect(result).toMatchObject({ ok: false, chains: 2, events: 5 });
      expect(result.failures).toEqual([
        { chain: 'pairing:9', seq: 1, reason: 'seq 1 is missing: the chain has no events, but its head says it reaches seq 4' },
      ]);
    });
  });

  it('accepts nothing at all', () => {
    const verifier = new ChainVerifier();
    verifier.end([{ chain: 'system', seq: 0, hash: GENESIS_HASH }]);
    expect(verifier.result()).toEqual({ ok: true, chains: 0, events: 0, failures: [] });
  });
});

describe(storedHash.name, () => {
  it('is the hash of the parsed event for every stored event, whatever its payload, comment and actor', () => {
    const rows = [...chainOf('pairing:7', 6), ...chainOf('system', 2).map((row) => ({ ...row, fromState: null, toState: null }))];
    for (const row of rows) {
      const { hash: _hash, payload, ...rest } = row;
      expect(storedHash(row)).toBe(auditHash({ ...rest, payload: payload === null ? null : JSON.parse(payload) }));
    }
    const odd = {
      ...rows[0],
      payload: canonicalJson({ text: 'line\nbreak \u2028 "q" \\ 中文 😀', zero: -0, big: 1e21, list: [null, true] }),
    };
    expect(storedHash(odd)).toBe(auditHash({ ...odd, payload: JSON.parse(odd.payload) }));
  });

  it('differs once the stored payload is not the canonical text that was hashed', () => {
    const [row] = chainOf('pairing:8', 2).slice(1);
    const spaced = { ...row, payload: JSON.stringify(JSON.parse(row.payload!), null, 1) };
    expect(storedHash(spaced)).not.toBe(row.hash);
    const verifier = new ChainVerifier();
    verifier.add([chainOf('pairing:8', 2)[0], spaced]);
    verifier.end();
    expect(verifier.result().failures).toEqual([
      { chain: 'pairing:8', seq: 2, reason: 'the stored payload is not in canonical JSON form' },
    ]);
  });
});
