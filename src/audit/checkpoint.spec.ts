import { createHash, generateKeyPairSync } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import {
  CHECKPOINT_FORMAT,
  chainSeqKey,
  compareWithCheckpoint,
  HeadsDigest,
  sealMessage,
  sealOf,
  sealSignatureValid,
  signSeal,
} from './checkpoint';

describe('audit checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const body = {
    at: '2026-03-01T08:00:00.000Z',
    chains: [
      { chain: 'pairing:1', seq: 12, hash: 'a'.repeat(64) },
      { chain: 'system', seq: 40, hash: 'b'.repeat(64) },
    ],
  };

  describe(signSeal.name, () => {
    const seal = sealOf(body.at, body.chains);

    it('seals the heads as the sha256 of their canonical JSON lines, and signs {at, count, format, headsSha256} only', () => {
      const lines = body.chains.map((head) => `${canonicalJson(head)}\n`).join('');
      expect(seal).toEqual({ at: body.at, count: 2, headsSha256: createHash('sha256').update(lines).digest('hex') });
      expect(lines).toBe(
        `{"chain":"pairing:1","hash":"${'a'.repeat(64)}","seq":12}\n{"chain":"system","hash":"${'b'.repeat(64)}","seq":40}\n`,
      );
      expect(sealMessage({ ...seal, extra: 1 } as typeof seal).toString()).toBe(canonicalJson({ ...seal, format: CHECKPOINT_FORMAT }));
      const digest = new HeadsDigest();
      body.chains.forEach((head) => digest.add(head));
      expect(digest.seal(body.at)).toEqual(seal);
      const signature = signSeal(seal, privateKey);
      expect(Buffer.from(signature, 'base64')).toHaveLength(64);
      expect(sealSignatureValid(seal, signature, publicKey)).toBe(true);
    });

    it('is invalid once a head, their number or the time is tampered with', () => {
      const signature = signSeal(seal, privateKey);
      const shorter = sealOf(body.at, [{ ...body.chains[0], seq: 10 }, body.chains[1]]);
      expect(sealSignatureValid(shorter, signature, publicKey)).toBe(false);
      expect(sealSignatureValid(sealOf(body.at, body.chains.slice(1)), signature, publicKey)).toBe(false);
      expect(sealSignatureValid({ ...seal, count: 3 }, signature, publicKey)).toBe(false);
      expect(sealSignatureValid({ ...seal, at: '2026-03-02T08:00:00.000Z' }, signature, publicKey)).toBe(false);
    });

    it('is invalid under another key, and for a signature that is not one', () => {
      const signature = signSeal(seal, privateKey);
      expect(sealSignatureValid(seal, signature, generateKeyPairSync('ed25519').publicKey)).toBe(false);
      expect(sealSignatureValid(seal, 'AAAA', publicKey)).toBe(false);
      expect(sealSignatureValid(seal, '', publicKey)).toBe(false);
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
