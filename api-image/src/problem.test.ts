import { describe, expect, it } from 'vitest';
import { ApiError, toProblem } from './problem.ts';

describe('toProblem', () => {
  it('keeps an ApiError as it is, with its headers', () => {
    const p = toProblem(
      new ApiError(409, 'in-progress', 'retry', { retriable: true, headers: { 'retry-after': '1' } }),
      'req-1',
    );
    expect(p).toEqual({
      status: 409,
      headers: { 'retry-after': '1' },
      internal: false,
      body: {
        type: 'urn:fraud-api:problem:in-progress',
        title: 'Conflict',
        status: 409,
        code: 'in-progress',
        retriable: true,
        detail: 'retry',
        requestId: 'req-1',
      },
    });
  });

  it('maps fastify 4xx errors to stable codes and keeps their message', () => {
    const p = toProblem({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'Request body is too large' });
    expect(p.body).toMatchObject({
      status: 413,
      code: 'body-too-large',
      detail: 'Request body is too large',
      retriable: false,
    });
  });

  it('hides the message of anything that is not a client error', () => {
    const p = toProblem(new Error('connect ECONNREFUSED 10.0.0.7:6379 password=hunter2'));
    expect(p.status).toBe(500);
    expect(p.internal).toBe(true);
    expect(JSON.stringify(p.body)).not.toMatch(/ECONNREFUSED|hunter2/);
    expect(toProblem(new ApiError(503, 'kafka-unavailable', 'broker kafka-0 down')).body.detail).toBeUndefined();
  });

  it('turns an out-of-range status into a 500', () => {
    expect(toProblem({ statusCode: 302 }).status).toBe(500);
  });
});
