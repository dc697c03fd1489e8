import { createHash, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export const CHECKPOINT_ALGORITHM = 'Ed25519';

/** The head of one chain at the time of a checkpoint. */
export interface CheckpointHead {
  chain: string;
  seq: number;
  hash: string;
}

export const CHECKPOINT_FORMAT = 'gongjian-checkpoint/2';

/**
 * What a checkpoint's signature covers: when, how many heads, and the sha256 of the heads as a list —
 * each head's canonical JSON followed by a line feed, in the order listed. Signing a digest rather than
 * the list itself lets a checkpoint of a million chains be written and checked as a stream, and anyone
 * can recompute it: `sha256(lines of {"chain":…,"hash":…,"seq":…})`.
 */
export interface CheckpointSeal {
  at: string;
  count: number;
  headsSha256: string;
}

export interface SignedCheckpoint extends CheckpointSeal {
  format: typeof CHECKPOINT_FORMAT;
  chains: CheckpointHead[];
  signature: string;
  publicKey: string;
  algorithm: typeof CHECKPOINT_ALGORITHM;
}

export interface CheckpointComparison {
  truncated: { chain: string; checkpointSeq: number; currentSeq: number }[];
  rewritten: { chain: string; seq: number }[];
}

/** One head as it enters the digest. */
export const headLine = ({ chain, seq, hash }: CheckpointHead) => `${canonicalJson({ chain, seq, hash })}\n`;

/** The running digest of a list of heads, fed one at a time. */
export class HeadsDigest {
  private readonly hash = createHash('sha256');
  private heads = 0;

  add(head: CheckpointHead): void {
    this.hash.update(headLine(head), 'utf8');
    this.heads++;
  }

  seal(at: string): CheckpointSeal {
    return { at, count: this.heads, headsSha256: this.hash.digest('hex') };
  }
}

export function sealOf(at: string, heads: readonly CheckpointHead[]): CheckpointSeal {
  const digest = new HeadsDigest();
  for (const head of heads) digest.add(head);
  return digest.seal(at);
}

/** The signed bytes: canonical JSON of {at, count, format, headsSha256}, built field by field so nothing else slips in. */
export function sealMessage({ at, count, headsSha256 }: CheckpointSeal): Buffer {
  return Buffer.from(canonicalJson({ at, count, format: CHECKPOINT_FORMAT, headsSha256 }), 'utf8');
}

/** Ed25519 signature (base64) over the seal. */
export function signSeal(seal: CheckpointSeal, privateKey: KeyObject): string {
  return sign(null, sealMessage(seal), privateKey).toString('base64');
}

export function sealSignatureValid(seal: CheckpointSeal, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, sealMessage(seal), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A checkpoint of these heads (one chain's, for a dossier), sealed and signed, in the form GET /api/audit/checkpoint serves. */
export function signedCheckpoint(
  heads: readonly CheckpointHead[],
  keys: { privateKey: KeyObject; publicKeyPem: string },
  at: string,
): SignedCheckpoint {
  const seal = sealOf(at, heads);
  return {
    format: CHECKPOINT_FORMAT,
    algorithm: CHECKPOINT_ALGORITHM,
    publicKey: keys.publicKeyPem,
    chains: heads.map(({ chain, seq, hash }) => ({ chain, seq, hash })),
    ...seal,
    signature: signSeal(seal, keys.privateKey),
  };
}

/**
 * Compares a checkpoint's heads with the chains as they are now: `lastSeqs` maps a chain to its last
 * seq now (absent: no events left), `hashesAt` maps `chainSeqKey(chain, seq)` to the hash now stored there.
 */
export function compareWithCheckpoint(
  heads: readonly CheckpointHead[],
  lastSeqs: ReadonlyMap<string, number>,
  hashesAt: ReadonlyMap<string, string>,
): CheckpointComparison {
  const result: CheckpointComparison = { truncated: [], rewritten: [] };
  for (const { chain, seq, hash } of heads) {
    const currentSeq = lastSeqs.get(chain) ?? 0;
    if (currentSeq < seq) {
      result.truncated.push({ chain, checkpointSeq: seq, currentSeq });
      continue;
    }
    if (hashesAt.get(chainSeqKey(chain, seq)) !== hash) result.rewritten.push({ chain, seq });
  }
  return result;
}

export const chainSeqKey = (chain: string, seq: number) => `${chain}\u0000${seq}`;
