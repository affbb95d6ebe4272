import { describe, expect, it } from 'vitest';
import { isConflict, isGone, isNotFound, KubeError } from './errors.ts';

describe('API error classification', () => {
  it.each([
    ['a 410 answer', new KubeError(410, 'Expired', 'too old'), { gone: true, retriable: false }],
    ['a watch stream ERROR object with code 410', { code: 410, message: 'too old resource version' }, { gone: true }],
    [
      'a failed watch request (client-node sets statusCode)',
      Object.assign(new Error('Gone'), { statusCode: 410 }),
      { gone: true },
    ],
    ['a 404', new KubeError(404, 'NotFound', 'x'), { gone: false, notFound: true, retriable: false }],
    ['a 409', new KubeError(409, 'Conflict', 'x'), { gone: false, conflict: true, retriable: true }],
    ['a 503', new KubeError(503, '', 'x'), { gone: false, retriable: true }],
    ['a connection error', new KubeError(0, 'ConnectionError', 'x'), { gone: false, retriable: true }],
    ['a 403', new KubeError(403, 'Forbidden', 'x'), { gone: false, retriable: false }],
  ])('%s', (_name, err, expected) => {
    expect(isGone(err)).toBe(expected.gone);
    if ('notFound' in expected) expect(isNotFound(err)).toBe(true);
    if ('conflict' in expected) expect(isConflict(err)).toBe(true);
    if ('retriable' in expected) expect((err as KubeError).retriable).toBe(expected.retriable);
  });
});
