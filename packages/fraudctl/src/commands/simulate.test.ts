import { describe, expect, it } from 'vitest';
import { limitRows, parseDuration, parseSimulateArgs } from './simulate.ts';

describe('fraudctl simulate arguments', () => {
  it('parses a file run and a Kafka run', () => {
    const file = parseSimulateArgs(['--config', 'handbook', '--days', '10', '--seed', '3', '--out', 'x.arrow']);
    expect(file).toMatchObject({ seed: 3, out: 'x.arrow', kafka: undefined, config: { days: 10, customers: 5000 } });
    const kafka = parseSimulateArgs([
      '--config',
      'customer',
      '--kafka',
      '--brokers',
      'a:1,b:2',
      '--label-delay',
      '36h',
      '--speed',
      '2',
    ]);
    expect(kafka).toMatchObject({
      kafka: { brokers: ['a:1', 'b:2'], labelDelayMs: 36 * 3_600_000, speed: 2, rate: 1000, labelsTopic: 'labels' },
    });
    expect(parseSimulateArgs(['--help'])).toBe('help');
  });
  it('refuses impossible parameters by name', () => {
    expect(() => parseSimulateArgs(['--config', 'x', '--out', 'a.csv'])).toThrow(
      /--config must be one of handbook, customer/,
    );
    expect(() => parseSimulateArgs(['--config', 'handbook'])).toThrow(/--out FILE/);
    expect(() => parseSimulateArgs(['--config', 'handbook', '--out', 'a.parquet'])).toThrow(/--out must end in/);
    expect(() => parseSimulateArgs(['--config', 'handbook', '--out', 'a.csv', '--rows', '0'])).toThrow(
      /--rows must be a positive integer/,
    );
    expect(() => parseSimulateArgs(['--config', 'handbook', '--out', 'a.csv', '--rows', '5', '--days', '2'])).toThrow(
      /not both/,
    );
    expect(() => parseSimulateArgs(['--config', 'handbook', '--out', 'a.csv', '--rate', '5'])).toThrow(
      /--rate only applies with --kafka/,
    );
    expect(() => parseSimulateArgs(['--config', 'handbook', '--kafka', '--brokers', 'a:1', '--speed=0'])).toThrow(
      /--speed must be a positive number/,
    );
    expect(() => parseSimulateArgs(['--config', 'handbook', '--out', 'a.csv', '--nope'])).toThrow(
      /Unknown option '--nope'/,
    );
    expect(() => parseDuration('a week')).toThrow(/--label-delay/);
  });
  it('cuts the batches at the row limit', () => {
    expect([
      ...limitRows(
        [
          [1, 2, 3],
          [4, 5],
        ] as never,
        4,
      ),
    ]).toEqual([[1, 2, 3], [4]]);
  });
});
