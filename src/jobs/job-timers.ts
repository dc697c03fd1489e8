export const JOB_TIMERS = Symbol('JOB_TIMERS');

/** How the background work is paced (from the configuration; tests set their own). */
export interface JobTimers {
  /** How often the dispatcher looks for outbox rows; 0: never by itself. */
  dispatchEveryMs: number;
  /** The deadline sweep's period; 0: never by itself. */
  sweepEveryMs: number;
  /** How long a row may be worked on (by Bull or in-process) before another dispatcher drives it again. */
  leaseMs: number;
  /** Failed attempts (other than outages) after which a row is parked for a person. */
  parkAfter: number;
}
