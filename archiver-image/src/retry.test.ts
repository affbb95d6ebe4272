import { describe, expect, it } from 'vitest';
import { backoffDelay, GaveUpError, retry } from './retry.ts';

const noSleep = async () => undefined;

describe('retry', () => {
  it('retries transient failures with capped, jittered backoff', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        if (++calls < 4) throw Object.assign(new Error('503'), { $metadata: { httpStatusCode: 503 } });
        return 'ok';
      },
      {
        what: 'put',
        sleep: noSleep,
        random: () => 1,
        baseMs: 100,
        capMs: 500,
        onRetry: ({ delayMs }) => void delays.push(delayMs),
      },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([200, 400, 500]);
  });

  it('never retries a programmer error or a 4xx', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new TypeError('x is undefined');
        },
        { what: 'p', sleep: noSleep },
      ),
    ).rejects.toThrow(TypeError);
    const forbidden = Object.assign(new Error('AccessDenied'), { $metadata: { httpStatusCode: 403 } });
    await expect(
      retry(
        async () => {
          calls++;
          throw forbidden;
        },
        { what: 'p', sleep: noSleep },
      ),
    ).rejects.toBe(forbidden);
    expect(calls).toBe(2);
  });

  it('gives up after the attempts or when stopped', async () => {
    await expect(
      retry(
        async () => {
          throw new Error('ECONNREFUSED');
        },
        { what: 'put k', attempts: 3, sleep: noSleep },
      ),
    ).rejects.toThrow(new GaveUpError('put k', 3, undefined));
    expect(backoffDelay(40, 100, 5000, () => 0.5)).toBe(2500);
  });
});
