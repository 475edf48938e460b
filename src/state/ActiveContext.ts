import { context, type Context, type ContextManager } from '@opentelemetry/api';
import { heldRegistry } from './apiRegistry.ts';

/**
 * `context.active()` for a hot path, kept by the object that asks (the processor): the context
 * manager registered now, asked directly. The API looks its manager up on every call; this asks
 * the API once per registered manager which manager it uses (it skips one registered by an
 * incompatible API version), and goes direct only when that is the registered one.
 */
export class ActiveContext {
  registry: Record<string, unknown> | undefined = undefined;
  private seen: unknown = undefined;
  private direct: ContextManager | undefined = undefined;

  read(): Context {
    const manager = heldRegistry(this)?.['context'];
    if (manager !== this.seen) this.see(manager);
    return this.direct === undefined ? context.active() : this.direct.active();
  }

  private see(manager: unknown): void {
    this.seen = manager;
    const used = (context as unknown as { _getContextManager?: () => unknown })._getContextManager?.();
    this.direct = manager !== undefined && used === manager ? (manager as ContextManager) : undefined;
  }
}
