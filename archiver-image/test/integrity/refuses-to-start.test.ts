import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario } from '../harness.ts';

let s: Awaited<ReturnType<typeof scenario>>;

beforeAll(async () => {
  s = await scenario('refuses', 1);
});

afterAll(async () => {
  await s?.cleanup();
});

describe('the archiver refuses to start, clearly', () => {
  it('on a bad config, listing every problem', async () => {
    const run = s.startArchiver({ ARCHIVE_WINDOW: '8d', ARCHIVE_KEY_FILE: '', S3_BUCKET: '' });
    expect(await run.exited).toBe(1);
    expect(s.logs()).toMatch(
      /bad archiver config:[\s\S]*S3_BUCKET is required[\s\S]*ARCHIVE_WINDOW must be >0 and at most 7d[\s\S]*needs ARCHIVE_KEY_FILE/,
    );
  });

  it('on a missing bucket, naming it', async () => {
    const run = s.startArchiver({ S3_BUCKET: `${s.bucket}-missing` });
    expect(await run.exited).toBe(1);
    expect(s.logs()).toContain(`S3 bucket \\"${s.bucket}-missing\\" does not exist (HTTP 404)`);
  });
});
