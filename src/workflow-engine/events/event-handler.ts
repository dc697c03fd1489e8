import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { EntityManager } from 'typeorm';
import type { FactsOf, FieldProblem, PairingEventOf, PairingEventType, PairingSnapshot } from '../../../workflows';
import { OptionalText, RequiredText } from '../../common/validators';
import type { Pairing } from '../pairing.entity';
import type { PairingRecords, PairingsRepository } from '../pairings.repository';

/** The fields a request carries for an event beside `type`: its payload and the comment. */
export type EventFields<T extends PairingEventType> = (PairingEventOf<T> extends { payload: infer P } ? P : object) & {
  comment?: string;
};

/** What a handler knows of the pairing while its lock is held. */
export interface EventContext<T extends PairingEventType> {
  m: EntityManager;
  repository: PairingsRepository;
  pairing: Pairing;
  records: PairingRecords;
  before: PairingSnapshot;
  payload: Omit<EventFields<T>, 'comment'>;
  comment: string | null;
  actorId: number | null;
  /** The partner organisation the sender speaks for on this pairing (a `partner` user of one of its partners), else null. */
  actorPartnerId: number | null;
  now: string;
}

export interface WriteContext<T extends PairingEventType> extends EventContext<T> {
  after: PairingSnapshot;
  facts: FactsOf<T>;
}

/** What an accepted event wrote: the payload its audit event keeps, and what it changed in memory. */
export interface Written {
  audit: unknown;
  records?: PairingRecords;
  pairing?: Partial<Pick<Pairing, 'liaisonUserId' | 'partnerLiaisons' | 'workflowVersion'>>;
}

/**
 * One event type, whole: its payload class (validated with class-validator, and tied to the payload type
 * of workflows/ by the type of `payload`), what the machine's rules need to know from the database, and the
 * rows it writes. Events without a `write` keep their payload (or nothing) in the audit trail.
 */
export interface EventHandler<T extends PairingEventType> {
  payload: new () => EventFields<T>;
  /**
   * Payload checks that need the pairing's records (e.g. a report may name only the indicators of the
   * accepted plan): answered 400 like the class's own checks, and judged right after them.
   */
  check?(context: EventContext<T>): FieldProblem[];
  facts?(context: EventContext<T>): Promise<FactsOf<T>> | FactsOf<T>;
  /**
   * Whether the event, accepted, would change nothing that is recorded (it asks for what the pairing holds
   * already): then nothing is written — no event, the same version — and the pairing is answered as it is,
   * as a PATCH that changes nothing is. Judged after every check, so it never turns a refusal into a 200.
   */
  unchanged?(context: EventContext<T>): boolean;
  write?(context: WriteContext<T>): Promise<Written> | Written;
}

export type EventHandlers = { readonly [T in PairingEventType]: EventHandler<T> };

export class EventWithOptionalComment {
  @OptionalText(2000, 'A comment kept in the history')
  comment?: string;
}

export class EventWithRequiredComment {
  @RequiredText(2000, 'Why: required, shown to the other side and kept in the history', '请补充结对主题与实际问题的对应关系')
  comment!: string;
}

/** A score 0–100 with at most one decimal, never rounded or clamped (SPEC §10). */
export const ScoreField = () => (target: object, key: string) => {
  ApiProperty({ minimum: 0, maximum: 100, description: 'Score 0–100 with at most one decimal', example: 92.5 })(target, key);
  IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false }, { message: 'score must be a number with at most one decimal' })(
    target,
    key,
  );
  Min(0)(target, key);
  Max(100)(target, key);
};

/** A finite number (JSON has no NaN or Infinity, but a string or null must not pass either). */
export const FiniteNumber =
  (description: string, example?: number, optional = false) =>
  (target: object, key: string) => {
    if (optional) {
      ApiPropertyOptional({ description, example })(target, key);
      IsOptional()(target, key);
    } else ApiProperty({ description, example })(target, key);
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a finite number' })(target, key);
  };

export const AttachmentIds = () => (target: object, key: string) => {
  ApiPropertyOptional({ type: [Number], description: 'Ids returned by POST /api/attachments' })(target, key);
  IsOptional()(target, key);
  IsArray()(target, key);
  ArrayMaxSize(50)(target, key);
  IsInt({ each: true })(target, key);
};

/** The newest row of `rows` that matches, for the decisions that answer the latest submission. */
export function latest<R>(rows: readonly R[], matches: (row: R) => boolean): R | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (matches(rows[i])) return rows[i];
  return undefined;
}

/** `rows` with `row` replaced by `changed` (records are never mutated: cached copies are shared). */
export function replaced<R>(rows: readonly R[], row: R, changed: R): R[] {
  return rows.map((r) => (r === row ? changed : r));
}
