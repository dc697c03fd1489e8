/** The pairing workflow's public API: import from here, not from the files behind it. */
export * from './pairing.types';
export * from './pairing.machine';
export * from './rules';
export * from './quarters';
export * from './pairing.access';
export * from './scoring';
export * from './calendar';
export * from './mermaid';
export * from './labels';
export { PAIRING_WORKFLOW_V1 } from './v1';
export { PAIRING_WORKFLOW_V2 } from './v2';
export { PAIRING_WORKFLOW_V3 } from './v3';
export * from './indicators';
export * from './compliance';
export * from './payload-labels';
export * from './local-time';
