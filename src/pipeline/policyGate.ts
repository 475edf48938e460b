/**
 * The link between the processor and the getLogger facade: the most recently created
 * LogPolicyProcessor publishes which (logger, level) pairs can pass, and facade loggers rebind
 * their methods to no-ops for the rest (pino's trick: decide once, not per call).
 */
export type Gate = (logger: string, severity: number) => boolean;

let current: Gate | undefined;
let owner: object | undefined;
const listeners = new Set<() => void>();

/** `gate` undefined: no static answer (facades bind every level and ask the SDK's `enabled()`). */
export function publishGate(by: object, gate: Gate | undefined): void {
  current = gate;
  owner = by;
  notify();
}

/** Withdraws the gate only if `by` published the current one. */
export function withdrawGate(by: object): void {
  if (owner !== by) return;
  current = undefined;
  owner = undefined;
  notify();
}

/** Replaces the gate only if `by` published the current one: a newer processor's gate stays. */
export function updateGate(by: object, gate: Gate | undefined): void {
  if (owner !== by || current === gate) return;
  current = gate;
  notify();
}

function notify(): void {
  for (const listener of listeners) listener();
}

export function currentGate(): Gate | undefined {
  return current;
}

export function onGateChange(listener: () => void): void {
  listeners.add(listener);
}
