// Route schemas: the contract, validated on the way in and used to serialize on the way out (and for /docs/json).
import Type, { type Static } from 'typebox';

/** Identifiers end up in Redis keys and channel names: a small safe alphabet, bounded length. */
const Id = (description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$', minLength: 1, maxLength: 64, description });

export const TxIdParams = Type.Object(
  { txId: Id('The transaction id the client chose when it submitted it.') },
  { additionalProperties: false },
);
export type TxIdParams = Static<typeof TxIdParams>;

export const TransactionBody = Type.Object(
  {
    txId: Id(
      'Client-chosen id, unique per transaction; also the idempotency key: a retry with it never creates a second transaction.',
    ),
    customerId: Id("The card holder; Kafka key, so one customer's transactions stay in order."),
    terminalId: Id('The terminal the payment was made at.'),
    amount: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1_000_000_000,
      description: 'Amount in the account currency.',
    }),
    ts: Type.Optional(
      Type.Integer({
        minimum: 946_684_800_000,
        maximum: 4_102_444_800_000,
        description: 'Event time, epoch ms UTC; the API stamps now when absent.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TransactionBody = Static<typeof TransactionBody>;

export const WaitQuery = (maxWaitMs: number, defaultMs: number) =>
  Type.Object(
    {
      wait: Type.Optional(
        Type.Integer({
          minimum: 0,
          maximum: maxWaitMs,
          default: defaultMs,
          description: 'How long to hold the request for the verdict, ms.',
        }),
      ),
    },
    { additionalProperties: false },
  );
export interface WaitQuery {
  wait?: number;
}

export const Accepted = Type.Object({
  txId: Type.String(),
  ts: Type.Integer(),
  status: Type.Literal('accepted'),
  verdictUrl: Type.String(),
});
export type Accepted = Static<typeof Accepted>;

export const Pending = Type.Object({
  txId: Type.String(),
  status: Type.Literal('pending'),
  verdictUrl: Type.String(),
});
export type Pending = Static<typeof Pending>;

export const VerdictResponse = Type.Object({
  txId: Type.String(),
  score: Type.Number(),
  decision: Type.Union([Type.Literal('fraud'), Type.Literal('legit')]),
  modelVersion: Type.String(),
  threshold: Type.Number(),
  latencyMs: Type.Number(),
});

/** RFC 9457 problem details. */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  code: Type.String(),
  retriable: Type.Boolean(),
  requestId: Type.Optional(Type.String()),
});
export type Problem = Static<typeof Problem>;

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, Problem]));
export const v1Errors = errors(400, 401, 403, 413, 415, 429, 500, 503);
export const problemResponses = (...extra: number[]) => ({ ...v1Errors, ...errors(...extra) });
