export * from './transaction.ts';
export * from './wire.ts';
