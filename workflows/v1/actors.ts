import type { ActorTable } from '../pairing.access';

const SECRETARY = ['leadSecretary'] as const;
const COMMITTEE = ['committee'] as const;

/** Who may send which event under version 1. */
export const V1_ACTORS: ActorTable = {
  SUBMIT: SECRETARY,
  RECALL: SECRETARY,
  // A directed pairing (指导性安排) was the committee's idea, so only it may drop one.
  WITHDRAW: { byMode: { voluntary: SECRETARY, directed: COMMITTEE } },
  APPROVE: COMMITTEE,
  RETURN: COMMITTEE,
  REJECT: COMMITTEE,
  SIGN_AGREEMENT: SECRETARY,
  FILE_PLAN: SECRETARY,
  ACCEPT_PLAN: COMMITTEE,
  RECORD_ACTIVITY: ['leadSecretary', 'liaison'],
  VOID_ACTIVITY: SECRETARY,
  SUBMIT_QUARTER_REPORT: SECRETARY,
  SCORE_QUARTER: COMMITTEE,
  SUBMIT_REVIEW: SECRETARY,
  APPROVE_REVIEW: COMMITTEE,
  TERMINATE: COMMITTEE,
  URGE: SECRETARY,
  UPDATE_LIAISONS: SECRETARY,
  QUARTER_OVERDUE: ['system'],
};
