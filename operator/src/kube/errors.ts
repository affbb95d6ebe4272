/** An API server answer other than 2xx: `status` and the Status `reason`; `retriable` for what a retry may fix. */
export class KubeError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retriable: boolean;
  constructor(status: number, reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeError';
    this.status = status;
    this.code = reason || `HTTP${status}`;
    this.retriable = status === 0 || status === 409 || status === 429 || status >= 500;
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeError && err.status === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeError && err.status === 409;
export const isGone = (err: unknown): boolean =>
  (err instanceof KubeError && err.status === 410) ||
  (typeof err === 'object' &&
    err !== null &&
    ((err as { code?: unknown }).code === 410 || (err as { statusCode?: unknown }).statusCode === 410));
