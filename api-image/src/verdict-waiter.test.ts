import { describe, expect, it } from 'vitest';
import { subscriptionCommands } from './verdict-waiter.ts';

const sub = (channel: string) => ({ kind: 'subscribe' as const, channel });
const unsub = (channel: string) => ({ kind: 'unsubscribe' as const, channel });

describe('subscriptionCommands', () => {
  it('puts consecutive ops of one kind in one command', () => {
    expect(subscriptionCommands([sub('a'), sub('b'), sub('c')])).toEqual([
      { kind: 'subscribe', channels: ['a', 'b', 'c'] },
    ]);
  });

  it('keeps the order, so an unsubscribe never overtakes a later subscribe to the same channel', () => {
    expect(subscriptionCommands([sub('a'), unsub('a'), unsub('b'), sub('a')])).toEqual([
      { kind: 'subscribe', channels: ['a'] },
      { kind: 'unsubscribe', channels: ['a', 'b'] },
      { kind: 'subscribe', channels: ['a'] },
    ]);
  });

  it('is empty for no ops', () => {
    expect(subscriptionCommands([])).toEqual([]);
  });
});
