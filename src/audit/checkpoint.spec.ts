import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { chainSeqKey, checkpointMessage, checkpointSignatureValid, compareWithCheckpoint, signCheckpoint } from './checkpoint';

describe('audit checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const body = {
    at: '2026-03-01T08:00:00.000Z',
    chains: [
      { chain: 'pairing:1', seq: 12, hash: 'a'.repeat(64) },
      { chain: 'system', seq: 40, hash: 'b'.repeat(64) },
    ],
  };

  describe(signCheckpoint.name, () => {
    it('signs canonical JSON of {at, chains} only', () => {
      expect(checkpointMessage({ ...body, signature: 'x', publicKey: 'y' } as typeof body).toString()).toBe(canonicalJson(body));
      const signature = signCheckpoint(body, privateKey);
      expect(Buffer.from(signature, 'base64')).toHaveLength(64);
      expect(checkpointSignatureValid(body, signature, publicKey)).toBe(true);
    });

    it('is invalid once the chains list is tampered with', () => {
      const signature = signCheckpoint(body, privateKey);
      const shorter = { ...body, chains: [{ ...body.chains[0], seq: 10 }, body.chains[1]] };
      expect(checkpointSignatureValid(shorter, signature, publicKey)).toBe(false);
      expect(checkpointSignatureValid({ ...body, chains: body.chains.slice(1) }, signature, publicKey)).toBe(false);
      expect(checkpointSignatureValid({ ...body, at: '2026-03-02T08:00:00.000Z' }, signature, publicKey)).toBe(false);
    });

    it('is invalid under another key, and for a signature that is not one', () => {
      const signature = signCheckpoint(body, privateKey);
      expect(checkpointSignatureValid(body, signature, generateKeyPairSync('ed25519').publicKey)).toBe(false);
      expect(checkpointSignatureValid(body, 'AAAA', publicKey)).toBe(false);
      expect(checkpointSignatureValid(body, '', publicKey)).toBe(false);
    });
  });

  describe(compareWithCheckpoint.name, () => {
    const hashes = (entries: [string, number, string][]) => new Map(entries.map(([chain, seq, hash]) => [chainSeqKey(chain, seq), hash]));

    it('finds nothing when every chain still holds its checkpointed event, perhaps with more after it', () => {
      const now = compareWithCheckpoint(
        body.chains,
        new Map([
          ['pairing:1', 12],
          ['system', 55],
        ]),
        hashes([
          ['pairing:1', 12, 'a'.repeat(64)],
          ['system', 40, 'b'.repeat(64)],
        ]),
      );
      expect(now).toEqual({ truncated: [], rewritten: [] });
    });

    it('reports chains now shorter or gone, and events rewritten', () => {
      const now = compareWithCheckpoint(body.chains, new Map([['system', 40]]), hashes([['system', 40, 'c'.repeat(64)]]));
      expect(now).toEqual({
        truncated: [{ chain: 'pairing:1', checkpointSeq: 12, currentSeq: 0 }],
        rewritten: [{ chain: 'system', seq: 40 }],
      });
      const shorter = compareWithCheckpoint(
        body.chains,
        new Map([
          ['pairing:1', 10],
          ['system', 41],
        ]),
        hashes([['system', 40, 'b'.repeat(64)]]),
      );
      expect(shorter).toEqual({ truncated: [{ chain: 'pairing:1', checkpointSeq: 12, currentSeq: 10 }], rewritten: [] });
    });

    it('reports an event deleted from the middle as rewritten', () => {
      const now = compareWithCheckpoint(body.chains.slice(0, 1), new Map([['pairing:1', 13]]), hashes([]));
      expect(now).toEqual({ truncated: [], rewritten: [{ chain: 'pairing:1', seq: 12 }] });
    });
  });
});
