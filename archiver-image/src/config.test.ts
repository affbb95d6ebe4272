import { describe, expect, it } from 'vitest';
import { describeConfig, parseConfig } from './config.ts';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const base = { KAFKA_BROKERS: 'a:9092,b:9092', S3_BUCKET: 'archive', ARCHIVE_KEY_FILE: '/secrets/key' };
const files: Record<string, string> = { '/secrets/key': KEY };
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: ${path}`);
  return text;
};

describe('archiver config', () => {
  it('reads a minimal config with defaults', () => {
    const c = parseConfig(base, read);
    expect(c.kafka).toMatchObject({ brokers: ['a:9092', 'b:9092'], topic: 'transactions', groupId: 'fraud-archiver' });
    expect(c.key).toMatchObject({ mode: 'aes-256-gcm', key: { keyId: 'k1' } });
    expect(c.windowMs).toBe(86_400_000);
  });

  it('lists every problem at once, naming the variables', () => {
    expect(() => parseConfig({ ARCHIVE_WINDOW: '8d', HTTP_PORT: 'x', ARCHIVE_MODE: 'rot13' }, read)).toThrow(
      /KAFKA_BROKERS is required[\s\S]*S3_BUCKET is required[\s\S]*ARCHIVE_WINDOW must be >0 and at most 7d[\s\S]*HTTP_PORT="x"[\s\S]*ARCHIVE_MODE="rot13"/,
    );
    expect(() => parseConfig({ ...base, S3_PART_SIZE: '1MiB' }, read)).toThrow(/S3_PART_SIZE must be at least 5MiB/);
  });

  it('refuses a bad key without printing it', () => {
    files['/secrets/short'] = `k1:${Buffer.alloc(16, 9).toString('base64')}`;
    let message = '';
    try {
      parseConfig({ ...base, ARCHIVE_KEY_FILE: '/secrets/short' }, read);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ARCHIVE_KEY_FILE \/secrets\/short: key k1 is 16 bytes, expected 32/);
    expect(message).not.toContain(Buffer.alloc(16, 9).toString('base64'));
  });

  it('envelope mode needs public recipient keys', () => {
    files['/r.json'] = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'ops' }] });
    const c = parseConfig({ ...base, ARCHIVE_MODE: 'envelope', ARCHIVE_RECIPIENTS_FILE: '/r.json' }, read);
    expect(describeConfig(c)).toMatchObject({ mode: 'envelope', recipients: ['ops'] });
    files['/p.json'] = JSON.stringify([{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd', kid: 'ops' }]);
    expect(() => parseConfig({ ...base, ARCHIVE_MODE: 'envelope', ARCHIVE_RECIPIENTS_FILE: '/p.json' }, read)).toThrow(
      /is a private key/,
    );
  });

  it('describes itself without key material', () => {
    const text = JSON.stringify(describeConfig(parseConfig(base, read)));
    expect(text).toContain('"keyId":"k1"');
    expect(text).not.toContain(KEY.slice(3));
  });
});
