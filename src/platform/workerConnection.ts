import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';

/**
 * One worker thread from dist/workers/<name>.js that the host only sends requests to, started on first use.
 * If it dies (a crash, out of memory on a huge input) its pending requests fail, the reason is logged, and the
 * next `connect()` starts a fresh one.
 */
export class WorkerConnection<Request> {
  private worker: Worker | undefined;
  private peer: RpcPeer<never, Request> | undefined;

  constructor(private readonly extensionPath: string, private readonly name: string, private readonly log: (line: string) => void) {}

  /** The running worker's peer, if one is running (for messages not worth starting a worker for). */
  get current(): RpcPeer<never, Request> | undefined {
    return this.peer;
  }

  connect(): RpcPeer<never, Request> {
    if (this.peer) return this.peer;
    const worker = new Worker(path.join(this.extensionPath, 'dist', 'workers', `${this.name}.js`), {
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    const peer = new RpcPeer<never, Request>(
      workerPort(worker),
      z.never(),
      () => undefined,
      (problem) => this.log(`${this.name} worker: ${problem}`),
    );
    const reset = (reason: string) => {
      if (this.worker !== worker) return;
      this.log(`${this.name} worker stopped: ${reason}`);
      this.worker = undefined;
      this.peer = undefined;
      peer.dispose();
    };
    worker.on('error', (err) => reset(err.message));
    worker.on('exit', (code) => reset(`exit code ${code}`));
    this.worker = worker;
    this.peer = peer;
    return peer;
  }

  /** Stops the worker now; the next `connect()` starts a fresh one. */
  dispose(): void {
    this.peer?.dispose();
    void this.worker?.terminate();
    this.worker = undefined;
    this.peer = undefined;
  }
}
