import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The process's one AsyncLocalStorage, shared by whatever follows a call through its awaits (the request being
 * served, the transaction open). On Node 20 every storage in use costs a step on every promise the process creates,
 * whether it reads it or not: one storage with a slot per purpose costs one.
 */
const storage = new AsyncLocalStorage<ReadonlyMap<symbol, unknown>>();

/** One purpose's value in the shared storage: set for the duration of a call, seen by all it awaits. */
export class ContextSlot<T> {
  private readonly key: symbol;

  constructor(name: string) {
    this.key = Symbol(name);
  }

  get(): T | undefined {
    return storage.getStore()?.get(this.key) as T | undefined;
  }

  /** Runs `work` with this slot set to `value`; the other slots keep what the caller had. */
  run<R>(value: T, work: () => R): R {
    const values = new Map(storage.getStore());
    values.set(this.key, value);
    return storage.run(values, work);
  }
}

/** Runs `work` with every slot unset: what it starts belongs to no request and no transaction of its caller's. */
export function outsideAnyContext<R>(work: () => R): R {
  return storage.exit(work);
}
