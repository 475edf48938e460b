/** A bad environment value: names the variable, the value and what is accepted. */
export class LogPolicyConfigError extends Error {
  readonly variable: string;
  readonly value: string;

  constructor(variable: string, value: string, accepted: string) {
    super(`${variable}=${JSON.stringify(value)} is not valid: ${accepted}`);
    this.name = 'LogPolicyConfigError';
    this.variable = variable;
    this.value = value;
  }
}
