import type { FraudModelRolloutSpec } from './types.ts';

/** `"true"` pauses the rollout until the annotation is removed or set to anything else. */
export const PAUSE_ANNOTATION = 'fraud.payments.dev/pause-rollout';
/** The version to abort: naming it means a stale annotation can never abort a later rollout. */
export const ABORT_ANNOTATION = 'fraud.payments.dev/abort-rollout';

export interface RolloutControl {
  paused: boolean;
  /** The canary version the user asked to abort, or null. */
  abortVersion: string | null;
}

/** Pause comes from spec.rollout.paused or the pause annotation; abort from the abort annotation. */
export function rolloutControl(
  annotations: Readonly<Record<string, string>> | undefined,
  spec: FraudModelRolloutSpec,
): RolloutControl {
  const pauseValue = annotations?.[PAUSE_ANNOTATION];
  if (pauseValue !== undefined && pauseValue !== 'true' && pauseValue !== 'false') {
    throw new Error(`annotation ${PAUSE_ANNOTATION} is ${JSON.stringify(pauseValue)}, expected "true" or "false"`);
  }
  const abort = annotations?.[ABORT_ANNOTATION]?.trim();
  return {
    paused: spec.rollout.paused === true || pauseValue === 'true',
    abortVersion: abort === undefined || abort === '' ? null : abort,
  };
}
