// A local port that forwards to a server on a backend's 127.0.0.1 (the SSH channel of ssh2's forwardOut, one per
// connection). It listens on this machine's 127.0.0.1 only: the deployment is never opened to the network.
import * as net from 'node:net';
import type { Duplex } from 'node:stream';

export interface Tunnel {
  /** The local port (on 127.0.0.1). */
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`localPort` (0: any free port) and pipes each connection into a fresh `connect()` stream. */
export function openTunnel(connect: () => Promise<Duplex>, localPort = 0): Promise<Tunnel> {
  const sockets = new Set<net.Socket>();
  // Half-open: a client that ends its request still gets the reply.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pause();
    connect().then(
      (remote) => {
        if (socket.destroyed) return void remote.destroy();
        // Ends travel through the pipes (half-closes included); an error on either side drops both.
        remote.on('error', () => socket.destroy());
        socket.on('error', () => remote.destroy());
        socket.pipe(remote).pipe(socket);
        socket.resume();
      },
      () => socket.destroy(), // the client sees its connection dropped
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
