import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

export interface TlsClient {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Components' self-signed serving certificates are not ours to verify. */
  insecure?: boolean;
}

export function httpGet(
  url: string,
  tls: TlsClient = {},
  timeoutMs = 2_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      u,
      {
        method: 'GET',
        timeout: timeoutMs,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: !tls.insecure,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function httpOk(
  url: string,
  tls: TlsClient = {},
  expect: (status: number) => boolean = (s) => s === 200,
): Promise<boolean> {
  try {
    return expect((await httpGet(url, tls)).status);
  } catch {
    return false;
  }
}

/** Sends one request over a fresh TCP connection and resolves with the first bytes that come back. */
function exchange(host: string, port: number, payload: Buffer, enough: (b: Buffer) => boolean, timeoutMs = 2_000) {
  return new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host, port });
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), timeoutMs);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (enough(got)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error('closed'));
    });
  });
}

/** Kafka ApiVersions v0: the broker answers with error code 0 once it serves requests. */
export async function kafkaAnswers(host: string, port: number): Promise<boolean> {
  const clientId = Buffer.from('stack-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(7, 4);
  body.writeInt16BE(clientId.length, 8);
  const frame = Buffer.concat([body, clientId]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(frame.length, 0);
  try {
    const reply = await exchange(host, port, Buffer.concat([size, frame]), (b) => b.length >= 10);
    return reply.readInt32BE(4) === 7 && reply.readInt16BE(8) === 0;
  } catch {
    return false;
  }
}

export async function redisAnswers(host: string, port: number): Promise<boolean> {
  try {
    const reply = await exchange(host, port, Buffer.from('PING\r\n'), (b) => b.includes('\r\n'));
    return reply.toString().startsWith('+PONG');
  } catch {
    return false;
  }
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, isDead?: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (isDead?.()) throw new Error(`${what} exited during start-up`);
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} was not ready within ${Math.round(timeoutMs / 1000)} s`);
}
