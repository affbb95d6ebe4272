import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './ports.ts';

let held: Server | undefined;
afterEach(() => held?.close());

describe('freePort', () => {
  it('keeps the preferred port when it is free', async () => {
    const port = await freePort();
    expect(await freePort('127.0.0.1', port)).toBe(port);
  });
  it('picks another port when the preferred one is taken', async () => {
    held = createServer();
    await new Promise<void>((r) => held!.listen(0, '127.0.0.1', r));
    const taken = (held.address() as { port: number }).port;
    const port = await freePort('127.0.0.1', taken);
    expect(port).not.toBe(taken);
    expect(port).toBeGreaterThan(0);
  });
});
