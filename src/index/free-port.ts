import net from 'node:net';

/** Loopback only: nothing we bind or start is reachable from the network. */
export const LOOPBACK = '127.0.0.1';

/**
 * Resolves true when nothing listens on 127.0.0.1:port, by binding it briefly ourselves.
 * Errors other than "in use" (e.g. EACCES for a privileged port) also count as "not free",
 * because the server we want to start there would fail the same way.
 */
export function isPortFree(port: number, host: string = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** A TCP port on 127.0.0.1 that the kernel reports as free right now (races are possible). */
export function getFreePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => {
        if (port === undefined) reject(new Error('could not determine a free port'));
        else resolve(port);
      });
    });
  });
}
