import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on right now (for servers that cannot bind port 0 themselves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when `port` can be bound on 127.0.0.1 now; rejects with a PortInUse error otherwise. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', () => reject(new PortInUse(`${what} cannot use port ${port}: it is in use (is another \`npm start\` running?)`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

export class PortInUse extends Error {
  override name = 'PortInUse';
}
