import type { Context } from '@opentelemetry/api';

/**
 * An OpenTelemetry Context as one layer over its parent: a key and its value (or its deletion).
 * The API's own BaseContext copies its parent's Map and makes three closures per context, about
 * 450 bytes; every open call keeps its context, so the call scope uses this one (about 40 bytes).
 * Lookups walk the layers up to the parent, which the call's two layers keep short.
 */
export class LayerContext implements Context {
  private readonly parent: Context;
  private readonly key: symbol;
  private readonly value: unknown;
  private readonly deleted: boolean;

  constructor(parent: Context, key: symbol, value: unknown, deleted = false) {
    this.parent = parent;
    this.key = key;
    this.value = value;
    this.deleted = deleted;
  }

  getValue(key: symbol): unknown {
    if (key === this.key) return this.deleted ? undefined : this.value;
    return this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new LayerContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return new LayerContext(this, key, undefined, true);
  }
}
