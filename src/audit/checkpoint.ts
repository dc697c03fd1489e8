import { KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export const CHECKPOINT_ALGORITHM = 'Ed25519';

/** The head of one chain at the time of a checkpoint. */
export interface CheckpointHead {
  chain: string;
  seq: number;
  hash: string;
}

/** What a checkpoint's signature covers. */
export interface CheckpointBody {
  at: string;
  chains: CheckpointHead[];
}

export interface SignedCheckpoint extends CheckpointBody {
  signature: string;
  publicKey: string;
  algorithm: typeof CHECKPOINT_ALGORITHM;
}

export interface CheckpointComparison {
  truncated: { chain: string; checkpointSeq: number; currentSeq: number }[];
  rewritten: { chain: string; seq: number }[];
}

/** The signed bytes: canonical JSON of {at, chains}, built field by field so nothing else slips in. */
export function checkpointMessage(body: CheckpointBody): Buffer {
  const chains = body.chains.map(({ chain, seq, hash }) => ({ chain, seq, hash }));
  return Buffer.from(canonicalJson({ at: body.at, chains }), 'utf8');
}

/** Ed25519 signature (base64) over the checkpoint's canonical JSON. */
export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): string {
  return sign(null, checkpointMessage(body), privateKey).toString('base64');
}

export function checkpointSignatureValid(body: CheckpointBody, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointMessage(body), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
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
