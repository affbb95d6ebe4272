/** Condition types and reasons (CamelCase), in one place. */
export const ConditionType = { Ready: 'Ready', Progressing: 'Progressing', Degraded: 'Degraded' } as const;

export const Reason = {
  // Ready
  FleetsReady: 'FleetsReady',
  FleetsNotReady: 'FleetsNotReady',
  NoStableVersion: 'NoStableVersion',
  // Progressing
  RolloutInProgress: 'RolloutInProgress',
  RolloutPaused: 'RolloutPaused',
  Reconciled: 'Reconciled',
  // Degraded
  AsExpected: 'AsExpected',
  ReconcileFailed: 'ReconcileFailed',
  TopicMismatch: 'TopicMismatch',
  KafkaUnavailable: 'KafkaUnavailable',
  VersionRefused: 'VersionRefused',
  RolledBack: 'RolledBack',
  InvalidSpec: 'InvalidSpec',
} as const;
