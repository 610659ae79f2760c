// One request/reply helper for every message boundary: extension host ↔ webview, host ↔ worker thread.
// Incoming messages are validated with the receiver's zod schema before the handler sees them.
import type { z } from 'zod';

/** The two primitives a boundary offers: send a structured-cloneable value, and listen. */
export interface Port {
  post(message: unknown): void;
  listen(callback: (message: unknown) => void): { dispose(): void };
}

type Envelope =
  | { rpc: 'event'; body: unknown }
  | { rpc: 'request'; id: number; body: unknown }
  | { rpc: 'reply'; id: number; ok: true; body: unknown }
  | { rpc: 'reply'; id: number; ok: false; error: string };

function isEnvelope(m: unknown): m is Envelope {
  return typeof m === 'object' && m !== null && typeof (m as { rpc?: unknown }).rpc === 'string';
}

/**
 * One side of a boundary. `handler` gets every validated incoming event or request; for a request,
 * its return value (or thrown error) becomes the reply, so a peer's handler is a single `switch`.
 */
export class RpcPeer<TIncoming, TOutgoing> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly port: Port,
    private readonly incoming: z.ZodType<TIncoming>,
    private readonly handler: (message: TIncoming) => unknown,
    private readonly onInvalid: (problem: string) => void = () => undefined,
  ) {
    this.subscription = port.listen((m) => void this.receive(m));
  }

  /** Fire-and-forget message to the other side. */
  notify(body: TOutgoing): void {
    this.port.post({ rpc: 'event', body } satisfies Envelope);
  }

  /** Sends a request; resolves with the reply validated by `result`, rejects on error or timeout. */
  request<R>(body: TOutgoing, result: z.ZodType<R>, timeoutMs = 60_000): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`request ${id} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          const parsed = result.safeParse(v);
          if (parsed.success) resolve(parsed.data);
          else reject(new Error(`invalid reply: ${parsed.error.message}`));
        },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.port.post({ rpc: 'request', id, body } satisfies Envelope);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const p of this.pending.values()) p.reject(new Error('connection closed'));
    this.pending.clear();
  }

  private async receive(message: unknown): Promise<void> {
    if (!isEnvelope(message)) return this.onInvalid('message without an rpc envelope');
    if (message.rpc === 'reply') return this.settle(message);
    const parsed = this.incoming.safeParse(message.body);
    if (!parsed.success) {
      this.onInvalid(parsed.error.message);
      if (message.rpc === 'request') this.reply(message.id, undefined, 'invalid message: ' + parsed.error.message);
      return;
    }
    try {
      const value = await this.handler(parsed.data);
      if (message.rpc === 'request') this.reply(message.id, value);
    } catch (err) {
      if (message.rpc === 'request') this.reply(message.id, undefined, err instanceof Error ? err.message : String(err));
      else this.onInvalid(err instanceof Error ? err.message : String(err));
    }
  }

  private settle(reply: Extract<Envelope, { rpc: 'reply' }>): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.body);
    else waiter.reject(new Error(reply.error));
  }

  private reply(id: number, body: unknown, error?: string): void {
    const envelope: Envelope = error === undefined ? { rpc: 'reply', id, ok: true, body } : { rpc: 'reply', id, ok: false, error };
    this.port.post(envelope);
  }
}
