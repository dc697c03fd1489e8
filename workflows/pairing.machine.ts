import { createActor, getNextTransitions, initialTransition, type AnyActorScope, type StateValue } from 'xstate';
import { PARTNER_TASKS, type PartnerTask } from './labels';
import { actorsInTable, type PairingActor } from './pairing.access';
import {
  PAIRING_STATES,
  type EventMeta,
  type PairingContext,
  type PairingEvent,
  type PairingEventType,
  type PairingInput,
  type PairingState,
  type PairingStateMeta,
  type PartnerActFacts,
  type ProposalFacts,
  type UrgeFacts,
} from './pairing.types';
import { firstViolation, type RuleViolation } from './rules';
import { PAIRING_WORKFLOW_V1, type V1RuleCode } from './v1';
import { PAIRING_WORKFLOW_V2, type V2RuleCode } from './v2';
import { PAIRING_WORKFLOW_V3, type V3RuleCode } from './v3';
import type { PairingMachine, PairingSnapshot, PairingWorkflow } from './workflow';

export type { PairingMachine, PairingSnapshot, PairingWorkflow } from './workflow';

/**
 * Every version a stored pairing may run under. A pairing keeps the version it started with, so a new
 * version is added here beside the old ones, which are never edited (workflows/v1/frozen.spec.ts).
 */
export const PAIRING_WORKFLOWS: Readonly<Record<number, PairingWorkflow>> = {
  1: PAIRING_WORKFLOW_V1,
  2: PAIRING_WORKFLOW_V2,
  3: PAIRING_WORKFLOW_V3,
};

/** The version new pairings start on: the newest. */
export const PAIRING_WORKFLOW_VERSION = 3;

/**
 * The version a pairing of each version may be moved to with MIGRATE_WORKFLOW (SPEC §12), by the committee,
 * in any state that is not final: the state and the context are carried over as they are, so the target's
 * states must include every state of the source (version 2 adds events, not states; version 3 changes a rule).
 */
export const WORKFLOW_MIGRATIONS: Readonly<Record<number, number>> = { 1: 2, 2: 3 };

const MIGRATION_ACTORS: readonly PairingActor[] = ['committee'];

/** A migration names the version it moves to; any other is refused. */
export const MIGRATION_TARGET_INVALID = {
  code: 'MIGRATION_TARGET_INVALID',
  status: 422,
  message: 'A pairing can be moved only to the next workflow version its own version migrates to.',
} as const;

export const PAIRING_MACHINES: Readonly<Record<number, PairingMachine>> = Object.fromEntries(
  Object.entries(PAIRING_WORKFLOWS).map(([version, workflow]) => [version, workflow.machine]),
);

export const pairingMachine = PAIRING_MACHINES[PAIRING_WORKFLOW_VERSION];

/** The rules of the newest version (each version keeps its own table). */
export const PAIRING_RULES = PAIRING_WORKFLOWS[PAIRING_WORKFLOW_VERSION].rules;

/** Every rule code of every version, and the migration's own. */
export type RuleCode = V1RuleCode | V2RuleCode | V3RuleCode | typeof MIGRATION_TARGET_INVALID.code;

const WORKFLOW_OF_MACHINE = new Map<unknown, PairingWorkflow>(Object.values(PAIRING_WORKFLOWS).map((w) => [w.machine, w]));

/** The version a snapshot runs under, found from its machine. */
export function workflowOf(snapshot: Pick<PairingSnapshot, 'machine'>): PairingWorkflow {
  const workflow = WORKFLOW_OF_MACHINE.get(snapshot.machine);
  if (!workflow) throw new Error(`Snapshot of machine ${snapshot.machine.id} belongs to no known workflow version`);
  return workflow;
}

/**
 * Who may send `type` on a pairing in this snapshot, under its own version's table. An event its version
 * does not know (a partner's countersignature on a v1 pairing) is judged by the newest table's senders, so
 * the right sender is told the state does not take it (409) rather than that their role may not (403).
 */
export function allowedActors(
  type: PairingEventType,
  context: Pick<PairingContext, 'mode'>,
  workflow: PairingWorkflow = PAIRING_WORKFLOWS[PAIRING_WORKFLOW_VERSION],
): readonly PairingActor[] {
  if (type === 'MIGRATE_WORKFLOW') return MIGRATION_ACTORS;
  return (
    actorsInTable(type, context, workflow.actors) ?? actorsInTable(type, context, PAIRING_WORKFLOWS[PAIRING_WORKFLOW_VERSION].actors) ?? []
  );
}

export function createPairingSnapshot(input: PairingInput, version = PAIRING_WORKFLOW_VERSION): PairingSnapshot {
  const [snapshot] = initialTransition(PAIRING_MACHINES[version], input);
  return snapshot;
}

/** Whether this snapshot may be moved to a newer version now: it runs, and its version migrates somewhere. */
function migratesTo(snapshot: PairingSnapshot): number | undefined {
  if (snapshot.status !== 'active') return undefined;
  return WORKFLOW_MIGRATIONS[workflowOf(snapshot).version];
}

function flattenStateValue(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [[parent, child]] = Object.entries(value);
  return child === undefined ? parent : `${parent}.${flattenStateValue(child)}`;
}

/** The inverse: `active.collecting` as `{ active: 'collecting' }`. */
function stateValueOf(state: string): StateValue {
  const dot = state.indexOf('.');
  return dot < 0 ? state : { [state.slice(0, dot)]: stateValueOf(state.slice(dot + 1)) };
}

export function stateString(snapshot: PairingSnapshot): PairingState {
  const state = flattenStateValue(snapshot.value);
  if (!(PAIRING_STATES as readonly string[]).includes(state)) {
    throw new Error(`Pairing snapshot is in an unknown state: ${state}`);
  }
  return state as PairingState;
}

/** What the current (leaf) state waits for; null once the pairing is final. */
export function stateMeta(snapshot: PairingSnapshot): PairingStateMeta | null {
  const byStateId: Record<string, PairingStateMeta | undefined> = snapshot.getMeta();
  return byStateId[`${snapshot.machine.id}.${stateString(snapshot)}`] ?? null;
}

export type Decision =
  | { ok: true; snapshot: PairingSnapshot; state: PairingState }
  | { ok: false; reason: 'INVALID_TRANSITION'; state: PairingState }
  | ({ ok: false; reason: 'RULE' } & RuleViolation);

/** The transitions this state offers for an event type, before any guard runs. */
function candidatesFor(snapshot: PairingSnapshot, type: PairingEventType): readonly unknown[] {
  if (type === 'MIGRATE_WORKFLOW') return migratesTo(snapshot) === undefined ? [] : [type];
  // xstate still takes root-level transitions on a finished snapshot (STACK.md);
  // a snapshot that is not running accepts nothing, whatever state it names.
  if (snapshot.status !== 'active') return [];
  return getNextTransitions(snapshot).filter((candidate) => candidate.eventType === type);
}

/**
 * One step of the lifecycle, without side effects: the next snapshot, or why not.
 * INVALID_TRANSITION: the state has no transition for this event (409);
 * RULE: it has one, but a business rule refuses this event (422/429).
 */
export function decide(snapshot: PairingSnapshot, event: PairingEvent): Decision {
  if (event.type === 'MIGRATE_WORKFLOW') return migrate(snapshot, event.payload.toVersion);
  if (candidatesFor(snapshot, event.type).length === 0) {
    return { ok: false, reason: 'INVALID_TRANSITION', state: stateString(snapshot) };
  }
  const workflow = workflowOf(snapshot);
  const violation = firstViolation(workflow.rules, workflow.eventRules[event.type] ?? [], snapshot.context, event);
  if (violation) return { ok: false, reason: 'RULE', ...violation };
  const next = snapshot.machine.transition(snapshot, event, inertScopeOf(snapshot.machine));
  return { ok: true, snapshot: next, state: stateString(next) };
}

/** MIGRATE_WORKFLOW: the same state and context under the target version's machine. */
function migrate(snapshot: PairingSnapshot, toVersion: number): Decision {
  const target = migratesTo(snapshot);
  if (target === undefined) return { ok: false, reason: 'INVALID_TRANSITION', state: stateString(snapshot) };
  if (toVersion !== target) return { ok: false, reason: 'RULE', ...MIGRATION_TARGET_INVALID, details: { toVersion: target } };
  const next = PAIRING_MACHINES[target].resolveState({ value: snapshot.value, context: snapshot.context });
  return { ok: true, snapshot: next, state: stateString(next) };
}

const INERT_SCOPES = new WeakMap<PairingMachine, AnyActorScope>();

/**
 * An actor scope that runs nothing, made once per machine. xstate's own `transition()` builds a new actor
 * for every call — which computes (and here, without input, fails) an initial snapshot and a new system
 * each time, a third of the cost of a step. Our machines have no actions to execute (only `assign`), no
 * children and no delays, so one inert scope serves every pure step of a machine.
 */
function inertScopeOf(machine: PairingMachine): AnyActorScope {
  let scope = INERT_SCOPES.get(machine);
  if (!scope) {
    const input = { year: 2000, mode: 'voluntary' } as const;
    const [initial] = initialTransition(machine, input);
    const self = createActor(machine, { input, snapshot: initial });
    scope = {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      actionExecutor: () => {},
    };
    INERT_SCOPES.set(machine, scope);
  }
  return scope;
}

/** What the engine knows before the user sends anything; rules that read only these can block in advance. */
export interface ProbeFacts {
  meta: EventMeta;
  proposal?: ProposalFacts;
  /** For a partner's user: what their organisation has done on this pairing. */
  partner?: PartnerActFacts;
  /** When the pairing began to wait in its current step (URGE's limit, version 3 on). */
  urge?: UrgeFacts;
}

export interface ProbeResult {
  accepted: boolean;
  blockedCode?: RuleCode;
  /** What the blocking rule says exactly (PROPOSAL_INCOMPLETE: the missing fields). */
  details?: Record<string, unknown>;
}

/** Events whose payload-free rules `probe` can judge, built from the facts at hand. */
const PROBE_EVENTS: Partial<Record<PairingEventType, (facts: ProbeFacts) => PairingEvent | undefined>> = {
  SUBMIT: ({ meta, proposal }) => (proposal ? { type: 'SUBMIT', meta, facts: { proposal } } : undefined),
  URGE: ({ meta, urge }) => ({ type: 'URGE', meta, ...(urge ? { facts: urge } : {}) }),
  // NO_OPEN_QUARTER reads only the context and today; the payload is what the form will ask for.
  RECORD_ACTIVITY: ({ meta }) => ({ type: 'RECORD_ACTIVITY', meta }) as PairingEvent,
  COUNTERSIGN_AGREEMENT: ({ meta, partner }) =>
    partner
      ? ({
          type: 'COUNTERSIGN_AGREEMENT',
          meta,
          payload: {},
          facts: { partner, attachments: { usable: [], unusable: [] } },
        } as PairingEvent)
      : undefined,
  EVALUATE_PARTNERSHIP: ({ meta, partner }) =>
    partner ? ({ type: 'EVALUATE_PARTNERSHIP', meta, facts: { partner } } as PairingEvent) : undefined,
};

/**
 * Whether this state takes the event type at all, and whether a rule that does not
 * depend on the payload (PROPOSAL_INCOMPLETE, URGED_RECENTLY) refuses it right now.
 * Feeds `availableEvents` and `blockedEvents`.
 */
export function probe(snapshot: PairingSnapshot, type: PairingEventType, facts?: ProbeFacts): ProbeResult {
  return candidatesFor(snapshot, type).length === 0 ? { accepted: false } : judgeInAdvance(snapshot, type, facts);
}

/** The event types this snapshot takes at all (one look at its transitions, for every type at once). */
export function acceptedEventTypes(snapshot: PairingSnapshot): ReadonlySet<PairingEventType> {
  if (snapshot.status !== 'active') return new Set();
  const types = new Set(getNextTransitions(snapshot).map((candidate) => candidate.eventType as PairingEventType));
  if (migratesTo(snapshot) !== undefined) types.add('MIGRATE_WORKFLOW');
  return types;
}

/**
 * What the pairing may still ask of its partners (each partner task is the event that does it): the partner
 * tasks this snapshot takes at all, whoever has done them already.
 */
export function partnerTasksAsked(snapshot: PairingSnapshot): ReadonlySet<PartnerTask> {
  const accepted = acceptedEventTypes(snapshot);
  return new Set(PARTNER_TASKS.filter((task) => accepted.has(task)));
}

const partnerTasksByState = new Map<string, ReadonlySet<PartnerTask>>();

/**
 * The same by a version's state alone, for what knows the state a pairing moved to but not its snapshot (the
 * notices of a step): what a state takes follows from its place in the machine, never from the context.
 */
export function partnerTasksOf(workflowVersion: number, state: PairingState): ReadonlySet<PartnerTask> {
  const key = `${workflowVersion}:${state}`;
  let tasks = partnerTasksByState.get(key);
  if (!tasks) {
    const machine = PAIRING_WORKFLOWS[workflowVersion]?.machine;
    if (!machine) return new Set();
    const { context } = createPairingSnapshot({ year: 2000, mode: 'directed' }, workflowVersion);
    tasks = partnerTasksAsked(machine.resolveState({ value: stateValueOf(state), context }));
    partnerTasksByState.set(key, tasks);
  }
  return tasks;
}

/** For an event type the state takes: whether a payload-free rule refuses it right now. */
export function judgeInAdvance(snapshot: PairingSnapshot, type: PairingEventType, facts?: ProbeFacts): ProbeResult {
  const event = facts && PROBE_EVENTS[type]?.(facts);
  if (!event) return { accepted: true };
  const workflow = workflowOf(snapshot);
  const payloadFree = (workflow.eventRules[type] ?? []).filter((code) => !workflow.rules[code].readsPayload);
  const violation = firstViolation(workflow.rules, payloadFree, snapshot.context, event);
  if (!violation) return { accepted: true };
  return { accepted: true, blockedCode: violation.code as RuleCode, ...(violation.details ? { details: violation.details } : {}) };
}

/** JSON-safe; store it together with the pairing's workflowVersion. */
export type PersistedPairingSnapshot = ReturnType<PairingMachine['getPersistedSnapshot']>;

export function persistSnapshot(snapshot: PairingSnapshot): PersistedPairingSnapshot {
  return snapshot.machine.getPersistedSnapshot(snapshot);
}

/**
 * Rebuilds a snapshot from its stored JSON under the machine version it was
 * written by. Never starts an actor: the server only ever calls `decide`.
 */
export function restorePairingSnapshot(persisted: unknown, workflowVersion: number): PairingSnapshot {
  const machine = PAIRING_WORKFLOWS[workflowVersion]?.machine;
  if (!machine) {
    const known = Object.keys(PAIRING_WORKFLOWS).join(', ');
    throw new Error(`Unknown pairing workflow version ${workflowVersion}; this build knows versions ${known}`);
  }
  if (typeof persisted !== 'object' || persisted === null || !('value' in persisted) || !('context' in persisted)) {
    throw new Error('A persisted pairing snapshot must be an object with value and context');
  }
  const { value, context } = persisted as { value: StateValue; context: PairingContext };
  try {
    return machine.resolveState({ value, context });
  } catch (error) {
    throw new Error(`Persisted pairing snapshot does not fit workflow version ${workflowVersion}: ${(error as Error).message}`);
  }
}
