// The server's waiting line: the engine answers one request at a time, so requests take turns in arrival order (FIFO).
// The line has a cap (a full one is refused at once: HTTP 429), and a request whose client went away leaves it.

export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`queue full (${waiting} waiting)`);
  }
}

interface Waiter {
  grant: (release: () => void) => void;
  cancel: (reason: unknown) => void;
}

export class FairQueue {
  private readonly waiters: Waiter[] = [];
  private running = 0;

  /** One request runs at a time; up to `capacity` more wait. */
  constructor(private readonly capacity: number) {}

  /** Requests waiting for their turn (not counting the running ones). */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Takes a place in line: resolves with `release` (call it when done) once it is this request's turn. Throws
   * QueueFullError synchronously when the line is full; rejects with the signal's reason when it aborts first.
   */
  enter(signal?: AbortSignal): Promise<() => void> {
    if (this.running === 0 && this.waiters.length === 0) return Promise.resolve(this.take());
    if (this.waiters.length >= this.capacity) throw new QueueFullError(this.waiters.length);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        cancel: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        waiter.cancel(signal!.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Refuses everyone still waiting (the server stops). */
  clear(reason: unknown): void {
    for (const w of this.waiters.splice(0)) w.cancel(reason);
  }

  private take(): () => void {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.waiters.shift();
      if (next) next.grant(this.take());
    };
  }
}
