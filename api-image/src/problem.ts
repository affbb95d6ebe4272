// Errors as RFC 9457 problem details: a stable code, a retry hint, and never an internal message for a 5xx.
import type { Problem } from './schemas.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retriable: boolean;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    detail: string,
    opts: { retriable?: boolean; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: opts.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retriable = opts.retriable ?? false;
    this.headers = opts.headers ?? {};
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Fastify's own 4xx error codes mapped to ours; their messages name the bad input, never internals. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_VALIDATION: 'invalid-request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-content-length',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported-media-type',
  FST_ERR_BAD_URL: 'bad-url',
  FST_ERR_ASYNC_CONSTRAINT: 'bad-request',
};

export interface ProblemOut {
  status: number;
  body: Problem;
  headers: Record<string, string>;
  /** True when the cause deserves an error log (the client did nothing wrong). */
  internal: boolean;
}

interface ErrorLike {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

/** Maps anything thrown while serving a request to the problem the client sees. Pure. */
export function toProblem(error: unknown, requestId?: string): ProblemOut {
  if (error instanceof ApiError)
    return build(error.status, error.code, error.message, error.retriable, error.headers, requestId);
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : 500;
  if (status >= 400 && status < 500) {
    const fastifyCode = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
    const code = fastifyCode ?? (status === 429 ? 'rate-limited' : 'bad-request');
    const detail = typeof e.message === 'string' && e.message.length <= 500 ? e.message : undefined;
    return build(status, code, detail, status === 429, {}, requestId);
  }
  const out = build(status >= 500 && status < 600 ? status : 500, 'internal', undefined, true, {}, requestId);
  out.internal = true;
  return out;
}

function build(
  status: number,
  code: string,
  detail: string | undefined,
  retriable: boolean,
  headers: Record<string, string>,
  requestId?: string,
): ProblemOut {
  const body: Problem = {
    type: `urn:fraud-api:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    retriable,
  };
  // A 5xx detail could carry a driver's message (hosts, keys, queries): the client gets only the title.
  if (detail !== undefined && status < 500) body.detail = detail;
  if (requestId !== undefined) body.requestId = requestId;
  return { status, body, headers, internal: false };
}
