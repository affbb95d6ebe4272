import { createServer } from 'node:net';

/** A port on the host that nothing listens on now: the preferred one when it is free, else one the kernel picks. */
export async function freePort(host = '127.0.0.1', preferred?: number): Promise<number> {
  if (preferred && (await canBind(host, preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
