import type { Readable } from 'node:stream';
import { parser } from 'stream-json';
import { ValidationFailedError } from '../common/errors';
import type { CheckpointHead } from './checkpoint';

/** The fields of a checkpoint besides its heads, as they arrived (checked afterwards). */
export type CheckpointFields = Record<string, unknown>;

export interface CheckpointSource {
  /** The heads in the order listed, checked one by one as they arrive. */
  heads: AsyncIterable<CheckpointHead>;
  /** The other fields; complete once `heads` is exhausted (they may come before or after the list). */
  fields: CheckpointFields;
}

const MAX_INT = 2_147_483_647;
const HEAD_KEYS = ['chain', 'hash', 'seq'];

/** A head as sent, or the field error that refuses it. */
export function checkedHead(value: unknown, index: number): CheckpointHead {
  const field = `checkpoint.chains[${index}]`;
  const refuse = (message: string): never => {
    throw new ValidationFailedError([{ field, messages: [message] }], 'The checkpoint is not one this server wrote.');
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(`${field} must be {chain, seq, hash}`);
  const head = value as Record<string, unknown>;
  const extra = Object.keys(head).filter((key) => !HEAD_KEYS.includes(key));
  if (extra.length) refuse(`${field} has unknown fields: ${extra.join(', ')}`);
  if (typeof head.chain !== 'string' || !head.chain || head.chain.length > 64)
    refuse(`${field}.chain must be a chain name of at most 64 characters`);
  if (typeof head.seq !== 'number' || !Number.isInteger(head.seq) || head.seq < 1 || head.seq > MAX_INT) {
    refuse(`${field}.seq must be a whole number from 1`);
  }
  if (typeof head.hash !== 'string' || !/^[0-9a-f]{64}$/.test(head.hash)) refuse(`${field}.hash must be 64 lowercase hex digits`);
  return { chain: head.chain as string, seq: head.seq as number, hash: head.hash as string };
}

/** Heads from a checkpoint already parsed (a JSON body). */
export function parsedCheckpoint(checkpoint: Record<string, unknown>): CheckpointSource {
  const { chains, ...fields } = checkpoint;
  const list = Array.isArray(chains) ? chains : [];
  // A `chains` left among the fields is one that is not a list: the field checks refuse it.
  if (!Array.isArray(chains)) fields.chains = chains ?? null;
  async function* heads() {
    for (const [i, head] of list.entries()) yield checkedHead(head, i);
  }
  return { heads: heads(), fields };
}

type Role = 'root' | 'checkpoint' | 'chains' | 'head' | 'other';
interface Frame {
  role: Role;
  key: string | null;
  value: Record<string, unknown>;
}

/** Stands for a nested value where the checkpoint has only scalars: refused by the field checks. */
export const NESTED = Symbol('nested value');

/**
 * Reads a checkpoint file as a stream of JSON tokens (stream-json), so that a checkpoint of a million
 * chains is checked in constant memory: the heads come out one at a time, the other fields are kept.
 * Takes the checkpoint itself or `{checkpoint: …}`, whatever the key order and formatting.
 */
export function streamedCheckpoint(body: Readable): CheckpointSource {
  const fields: CheckpointFields = {};
  async function* heads(): AsyncGenerator<CheckpointHead> {
    const tokens = body.pipe(parser.asStream({ streamValues: false }));
    body.on('error', (error) => tokens.destroy(error));
    const stack: Frame[] = [];
    let index = 0;
    let sawChains = false;
    const refuse = (message: string): never => {
      throw new ValidationFailedError([{ field: 'checkpoint', messages: [message] }], 'The checkpoint is not one this server wrote.');
    };
    /** Where the checkpoint's own fields are: the root object, or the object under `checkpoint`. */
    const ownFields = (frame: Frame | undefined) => frame !== undefined && (frame.role === 'root' || frame.role === 'checkpoint');
    try {
      for await (const token of tokens as AsyncIterable<{ name: string; value?: unknown }>) {
        const top = stack[stack.length - 1] as Frame | undefined;
        if (!top && token.name !== 'startObject') refuse('the checkpoint must be a JSON object');
        switch (token.name) {
          case 'startObject': {
            let role: Role = 'other';
            if (!top) role = 'root';
            else if (top.role === 'root' && top.key === 'checkpoint') role = 'checkpoint';
            else if (top.role === 'chains') role = 'head';
            else if (ownFields(top)) fields[top.key ?? ''] = NESTED;
            stack.push({ role, key: null, value: {} });
            break;
          }
          case 'startArray':
            if (ownFields(top) && top!.key === 'chains' && !sawChains) {
              sawChains = true;
              stack.push({ role: 'chains', key: null, value: {} });
            } else {
              if (ownFields(top)) fields[top!.key ?? ''] = NESTED;
              stack.push({ role: 'other', key: null, value: {} });
            }
            break;
          case 'endObject': {
            const done = stack.pop()!;
            if (done.role === 'head') yield checkedHead(done.value, index++);
            break;
          }
          case 'endArray':
            stack.pop();
            break;
          case 'keyValue':
            top!.key = token.value as string;
            break;
          case 'stringValue':
          case 'numberValue':
          case 'nullValue':
          case 'trueValue':
          case 'falseValue': {
            const value = token.name === 'numberValue' ? Number(token.value) : token.value;
            if (top!.role === 'head') top!.value[top!.key ?? ''] = value;
            else if (top!.role === 'chains') checkedHead(value, index++);
            else if (top!.role === 'root' && top!.key === 'checkpoint') refuse('checkpoint must be an object');
            else if (ownFields(top)) fields[top!.key ?? ''] = value;
            break;
          }
        }
      }
    } catch (error) {
      if (error instanceof ValidationFailedError) throw error;
      refuse(`the file is not valid JSON (${(error as Error).message})`);
    }
    if (stack.length) refuse('the file ends before the checkpoint does');
    if (!sawChains && !('chains' in fields)) fields.chains = null;
  }
  return { heads: heads(), fields };
}
