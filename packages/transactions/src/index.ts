export { formatDatetime, parseDatetime } from './datetime.ts';
export * from './io.ts';
export * from './message.ts';
export { readTimeRange, type TimeRange } from './time-range.ts';
export * from './transaction.ts';
export * from './wire.ts';
