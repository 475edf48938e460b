import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { pendingCall, type CallHandle } from '../../state/callContext.ts';

/**
 * A record logged in an automatic call that is not named yet (its stream's start message has not
 * arrived) is held by the call and given back to `processor.onEmit` once it is named, so it carries
 * the final call.id and is counted in that call. `running` is the call in the record's context
 * (looked up once per record by the processor). True when the call took it.
 */
export function heldForNaming(processor: LogRecordProcessor, record: ReadWriteLogRecord, context: Context | undefined, running: CallHandle | undefined): boolean {
  const call = pendingCall(running);
  if (call === undefined) return false;
  try {
    return call.hold(processor, record, context);
  } catch {
    return false;
  }
}

/** The facade asks before building a record: one of an unnamed call is built, undecided, to be held. */
export function awaitsName(running: CallHandle | undefined): boolean {
  return pendingCall(running) !== undefined;
}
