// The webview's side of the boundary with the extension host.
import type { z } from 'zod';
import { RpcPeer } from '../../src/shared/rpc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page: this is that one call. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();

/** Connects to the host: validates what arrives with `incoming`, hands it to `handler`, then says 'ready'. */
export function connectToHost<TIn, TOut extends { type: string }>(
  incoming: z.ZodType<TIn>,
  handler: (message: TIn) => unknown,
): RpcPeer<TIn, TOut> {
  const peer = new RpcPeer<TIn, TOut>(
    {
      post: (m) => vscodeApi.postMessage(m),
      listen: (cb) => {
        const listener = (e: MessageEvent) => cb(e.data);
        window.addEventListener('message', listener);
        return { dispose: () => window.removeEventListener('message', listener) };
      },
    },
    incoming,
    handler,
    (problem) => console.warn('ignored an invalid message from the host:', problem),
  );
  return peer;
}
