import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { pairingMachine, PAIRING_WORKFLOWS, WORKFLOW_MIGRATIONS } from './pairing.machine';
import type { PairingEventType } from './pairing.types';

/**
 * A Mermaid `stateDiagram-v2` drawn from the machine definition itself, so the
 * picture served at /api/workflows/pairing cannot drift from the code.
 */
export function pairingMermaid(machine: AnyStateMachine = pairingMachine): string {
  const lines = ['stateDiagram-v2'];
  const workflow = Object.values(PAIRING_WORKFLOWS).find((candidate) => candidate.machine === machine);
  const eventRules = workflow?.eventRules ?? {};
  declareStates(machine.root, 1, lines);
  for (const node of descendants(machine.root)) {
    for (const edge of edgesFrom(node, eventRules)) lines.push(`  ${edge}`);
    if (node.type === 'final') lines.push(`  ${mermaidId(node)} --> [*]`);
  }
  const target = workflow && WORKFLOW_MIGRATIONS[workflow.version];
  // The migration leaves the machine rather than moving inside it: one note instead of an edge from every state.
  if (target !== undefined && machine.root.initial?.target[0]) {
    lines.push(
      `  note right of ${mermaidId(machine.root.initial.target[0])} : MIGRATE_WORKFLOW (committee) from any non-final state to version ${target}`,
    );
  }
  return lines.join('\n');
}

function mermaidId(node: AnyStateNode): string {
  return node.path.join('_');
}

function descendants(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendants(child)]);
}

function declareStates(parent: AnyStateNode, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  for (const child of Object.values(parent.states)) {
    // Nested states are named as the API names them (active.collecting).
    const label = child.path.join('.');
    if (child.type === 'compound') {
      lines.push(`${indent}state ${mermaidId(child)} {`);
      declareStates(child, depth + 1, lines);
      lines.push(`${indent}}`);
    } else if (label !== mermaidId(child)) {
      lines.push(`${indent}state "${label}" as ${mermaidId(child)}`);
    }
  }
  const initial = parent.initial?.target[0];
  if (initial) lines.push(`${indent}[*] --> ${mermaidId(initial)}`);
}

type EventRules = Partial<Record<PairingEventType, readonly string[]>>;

function edgesFrom(node: AnyStateNode, eventRules: EventRules): string[] {
  return [...node.transitions.values()].flatMap((candidates: AnyTransitionDefinition[]) =>
    candidates.map((candidate, index) => {
      // A transition without a target keeps the state: drawn as a loop.
      const target = candidate.target?.[0] ?? node;
      const guard = guardLabel(candidate, index > 0, eventRules);
      return `${mermaidId(node)} --> ${mermaidId(target)} : ${candidate.eventType}${guard ? ` [${guard}]` : ''}`;
    }),
  );
}

/** The guard's name; for the rule guard, the rules its version's table lists for the event. */
function guardLabel(candidate: AnyTransitionDefinition, hasEarlierCandidate: boolean, eventRules: EventRules): string | undefined {
  const guard: unknown = candidate.guard;
  if (guard === undefined) return hasEarlierCandidate ? 'else' : undefined;
  const name =
    typeof guard === 'string' ? guard : typeof guard === 'object' && guard !== null && 'type' in guard ? String(guard.type) : null;
  if (name === 'rulesHold') {
    const rules = eventRules[candidate.eventType as PairingEventType] ?? [];
    return rules.length ? `unless ${rules.join(', ')}` : undefined;
  }
  return name ?? 'guarded';
}
