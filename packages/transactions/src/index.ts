export { formatDatetime, parseDatetime } from './datetime.ts';
export * from './io.ts';
export * from './message.ts';
export * from './transaction.ts';
export * from './wire.ts';
