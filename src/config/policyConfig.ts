import type { LevelRule } from './directives.ts';

export type PolicyMode = 'production' | 'development';

/** `LOG_POLICY_TEMPLATE_LIMIT=3/10s`: a key or template passes `burst` times, then at most once per `intervalMs`. */
export interface TemplateLimit {
  readonly burst: number;
  readonly intervalMs: number;
}

/** The policy as loaded from the environment: typed, validated and frozen. */
export interface PolicyConfig {
  readonly mode: PolicyMode;
  /** Which variable decided the mode, e.g. `LOG_POLICY_MODE=development`, `DEBUG=1`, `default`. */
  readonly modeSource: string;
  /** Base threshold (SeverityNumber) for loggers no rule covers. */
  readonly baseLevel: number;
  readonly noisyLevel: number;
  readonly noisyModules: readonly string[];
  /** Per-logger thresholds: the noisy modules at `noisyLevel`, then `LOG_POLICY_LEVELS` over them. */
  readonly levelRules: readonly LevelRule[];
  /** The user's own per-logger rules from `LOG_POLICY_LEVELS` (also inside `levelRules`): escalated calls keep them. */
  readonly levelDirectives: readonly LevelRule[];
  /** `DEBUG_TX=1`: keys starting with `TX_` pass the threshold down to DEBUG. */
  readonly debugTx: boolean;
  /** Key → minimum interval in ms between records that pass. */
  readonly rateLimits: ReadonlyMap<string, number>;
  readonly onceKeys: ReadonlySet<string>;
  readonly errorRepeatMs: number;
  /** Max INFO-and-below records per call; 0 = unlimited. */
  readonly callBudget: number;
  /** The default limit of repeated keys and templates (per call, per process outside calls); undefined = off. */
  readonly templateLimit: TemplateLimit | undefined;
  /** The last records past the budget kept per call and sent before CALL_END; taken from the budget (0 = off). */
  readonly callTail: number;
  /** Percent of the call budget one key or template may spend (100 = no cap). */
  readonly templateShare: number;
  readonly callTtlMs: number;
  /** Open calls tracked at once; the oldest is evicted (and counted) beyond this. */
  readonly maxCalls: number;
  /** Distinct keys tracked per call (repeat errors, drop counts); the rest share one overflow slot. */
  readonly maxKeysPerCall: number;
  /** Distinct keys tracked across all open calls together; beyond it every call's new keys overflow. */
  readonly maxTrackedKeys: number;
  readonly macroEvents: ReadonlySet<string>;
  /** Redact phone numbers, e-mail addresses, secrets and card numbers before export (`LOG_POLICY_REDACT`). */
  readonly redact: boolean;
  /** Extra redaction pattern (`LOG_POLICY_REDACT_PATTERNS`), global flag set; matches become `[REDACTED:custom]`. */
  readonly redactPattern: RegExp | undefined;
  /** Longest string body (and longest string inside a structured body) exported, in characters. */
  readonly maxBodyLength: number;
  /** Longest string attribute value exported, in characters. */
  readonly maxAttributeLength: number;
  /** Lifecycle and ERROR records kept for re-sending while the collector is unreachable; 0 = off. */
  readonly retryBufferSize: number;
  /** Largest OTLP request, in bytes of its OTLP/JSON encoding (`LOG_POLICY_MAX_EXPORT_BYTES`); batches are cut to it. */
  readonly maxExportBytes: number;
  /** Flight recorder: dropped records kept per call (the last n); 0 = off. */
  readonly recorder: number;
  /** Flight recorder: approximate bytes kept per call, and across all calls. */
  readonly recorderBytes: number;
  readonly recorderTotalBytes: number;
  /** A record of a call at or above this severity flushes the call's ring (Infinity: severity alone never does). */
  readonly recorderFlushSeverity: number;
  /** A record of a call with one of these keys flushes the call's ring. */
  readonly recorderFlushKeys: ReadonlySet<string>;
  /** Call ids logged with development thresholds and no budget (`LOG_POLICY_VERBOSE_CALLS`). */
  readonly verboseCalls: ReadonlySet<string>;
  /** Non-fatal remarks from loading (e.g. a `DEBUG` value that belongs to the `debug` package). */
  readonly warnings: readonly string[];
}
