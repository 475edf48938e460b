/**
 * The link between the processor and the getLogger facade: the most recently created
 * LogPolicyProcessor publishes which (logger, level) pairs can pass, and facade loggers rebind
 * their methods to no-ops for the rest (pino's trick: decide once, not per call).
 */
export type Gate = (logger: string, severity: number) => boolean;

let current: Gate | undefined;
let owner: object | undefined;
const listeners = new Set<() => void>();

export function publishGate(by: object, gate: Gate | undefined): void {
  current = gate;
  owner = gate === undefined ? undefined : by;
  for (const listener of listeners) listener();
}

/** Withdraws the gate only if `by` published the current one. */
export function withdrawGate(by: object): void {
  if (owner === by) publishGate(by, undefined);
}

export function currentGate(): Gate | undefined {
  return current;
}

export function onGateChange(listener: () => void): void {
  listeners.add(listener);
}
