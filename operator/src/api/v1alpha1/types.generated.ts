// Generated from crds/fraudmodels.yaml by generate-types.ts; do not edit (a unit test compares them).
import type { V1ObjectMeta } from '@kubernetes/client-node';

/** FraudModel runs a fleet of scorers that read transactions from Kafka and write one authoritative fraud verdict per transaction. Changing spec.model starts a canary that is promoted or rolled back on the PR-AUC of delayed fraud labels. */
export interface FraudModel {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  /** The desired model, its Kafka wiring, its scaling and how a new version is rolled out. */
  spec: FraudModelSpec;
  /** What the operator observed and decided. */
  status?: FraudModelStatus;
}

/** What the operator observed and decided. */
export interface FraudModelStatus {
  /** The spec generation this status describes. */
  observedGeneration?: number;
  /** Stable, Gating, Shadow, Canary, Promoting, RollingBack, Paused or Failed. */
  phase?: 'Pending' | 'Stable' | 'Gating' | 'Shadow' | 'Canary' | 'Promoting' | 'RollingBack' | 'Paused' | 'Failed';
  /** Model version serving authoritative verdicts. */
  stableVersion?: string;
  /** SHA-256 of the stable version's artifact. */
  stableSha256?: string;
  /** The stable version's model (spec.model as it was when that version was admitted). */
  stableModel?: FraudModelStatusStableModel;
  /** The model under canary (spec.model as it was when its rollout began). */
  canaryModel?: FraudModelStatusCanaryModel | null;
  /** Model version under canary, if any. */
  canaryVersion?: string;
  /** Percent of authoritative traffic the canary serves. */
  canaryWeight?: number;
  /** PR-AUC of each version on the last analysis window, with the labels behind it. */
  metrics?: FraudModelStatusMetrics;
  /** State of the current or last rollout; the operator's memory between reconciles. */
  rollout?: FraudModelStatusRollout | null;
  /** The scorer fleets (one Deployment per model version) and their readiness. */
  fleets?: FraudModelStatusFleetsItem[];
  /** Standard conditions (Ready, Progressing, Degraded). */
  conditions?: FraudModelStatusConditionsItem[];
  /** Decisions of the rollout, newest last, with the numbers they rest on. */
  history?: FraudModelStatusHistoryItem[];
}

export interface FraudModelStatusHistoryItem {
  time: string;
  /** admitted, refused, gate-passed, hold, failed-check, promote-step, promote, promoted, rollback, rolled-back, paused or resumed. */
  decision: string;
  reason: string;
  message?: string;
  phase?: string;
  version?: string;
  sha256?: string;
  step?: number;
  weight?: number;
  apStable?: number;
  apCanary?: number;
  delta?: number;
  ciLow?: number;
  ciHigh?: number;
  failedChecks?: number;
  labelled?: number;
  frauds?: number;
}

export interface FraudModelStatusConditionsItem {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface FraudModelStatusFleetsItem {
  version: string;
  role: 'stable' | 'canary';
  mode: 'primary' | 'canary' | 'shadow';
  deployment: string;
  replicas?: number;
  readyReplicas?: number;
  maxReplicas?: number;
}

/** State of the current or last rollout; the operator's memory between reconciles. */
export interface FraudModelStatusRollout {
  version: string;
  sha256: string;
  phase: 'Gate' | 'Shadow' | 'Steps' | 'Promoting' | 'Promoted' | 'RollingBack' | 'RolledBack' | 'Refused';
  /** -1 in Gate and Shadow, else the index into spec.rollout.steps. */
  stepIndex: number;
  weight: number;
  /** Event-time weight changes both fleets apply (appended to only). */
  schedule: FraudModelStatusRolloutScheduleItem[];
  /** Event time up to which the schedule will not change. */
  coveredUntil: number;
  stepStartedAt: number;
  windowFrom?: number | null;
  looks: number;
  failedChecks: number;
  pausedAt?: number | null;
  drainAfter?: number | null;
  reason: string;
  metrics?: FraudModelStatusRolloutMetrics | null;
}

export interface FraudModelStatusRolloutMetrics {
  stable: FraudModelStatusRolloutMetricsStable;
  canary: FraudModelStatusRolloutMetricsCanary;
}

export interface FraudModelStatusRolloutMetricsCanary {
  version: string;
  prAuc: number;
  labelled: number;
  frauds: number;
}

export interface FraudModelStatusRolloutMetricsStable {
  version: string;
  prAuc: number;
  labelled: number;
  frauds: number;
}

export interface FraudModelStatusRolloutScheduleItem {
  /** Event time (epoch ms) from which the weight holds. */
  from: number;
  weight: number;
}

/** PR-AUC of each version on the last analysis window, with the labels behind it. */
export interface FraudModelStatusMetrics {
  stable?: FraudModelStatusMetricsStable;
  canary?: FraudModelStatusMetricsCanary;
}

export interface FraudModelStatusMetricsCanary {
  version?: string;
  prAuc?: number;
  labelled?: number;
  frauds?: number;
  windowEnd?: string;
}

export interface FraudModelStatusMetricsStable {
  version?: string;
  prAuc?: number;
  labelled?: number;
  frauds?: number;
  windowEnd?: string;
}

/** The model under canary (spec.model as it was when its rollout began). */
export interface FraudModelStatusCanaryModel {
  uri: string;
  version: string;
  sha256: string;
  threshold: number;
  featureCount?: number;
  inputName?: string;
}

/** The stable version's model (spec.model as it was when that version was admitted). */
export interface FraudModelStatusStableModel {
  uri: string;
  version: string;
  sha256: string;
  threshold: number;
  featureCount?: number;
  inputName?: string;
}

/** The desired model, its Kafka wiring, its scaling and how a new version is rolled out. */
export interface FraudModelSpec {
  /** The ONNX model artifact to serve. Changing it starts a canary rollout. */
  model: FraudModelSpecModel;
  /** What deleting the FraudModel removes besides its Kubernetes children (which garbage collection removes). Retain keeps every Kafka topic; DeleteScoreStreams (default) deletes the per-version score streams the operator created; DeleteAllTopics also deletes the input, verdict, label and dead-letter topics. */
  deletionPolicy?: 'Retain' | 'DeleteScoreStreams' | 'DeleteAllTopics';
  /** Where and how the scorer pods run. Every field is optional. */
  scorer?: FraudModelSpecScorer;
  /** The Kafka topics the scorers read and write, and how to reach the brokers. */
  kafka: FraudModelSpecKafka;
  /** Replica bounds and the autoscaling target, per model version. */
  scaling: FraudModelSpecScaling;
  /** How a new model version is proven on live traffic before it becomes stable. */
  rollout: FraudModelSpecRollout;
}

/** How a new model version is proven on live traffic before it becomes stable. */
export interface FraudModelSpecRollout {
  /** Canary weights in percent, strictly increasing, each in 1..100; the last step promotes. */
  steps: number[];
  /** Minutes of labelled traffic compared at each step. */
  analysisWindowMinutes?: number;
  /** Labelled frauds needed before a comparison counts; below it the step is Inconclusive and holds. */
  minLabelledFrauds?: number;
  /** Tolerated PR-AUC loss of the canary against stable (for example 0.02). */
  maxPrAucLoss?: number;
  /** Failed checks after which the canary is rolled back. */
  maxFailedChecks?: number;
  /** Wall-clock minutes a rollout phase may go without a conclusive check before it is rolled back. */
  stepDeadlineMinutes?: number;
  /** Labelled history the gate replays through both versions before a new one sees live traffic: a CSV or Arrow file of transactions (the simulator's columns, TX_FRAUD as the label) in S3. A regression the replay proves refuses the version at once. Without it the gate checks the artifact only, and shadow traffic (where the new version has no authority) is its first judge. */
  replay?: FraudModelSpecRolloutReplay;
  /** Holds the rollout where it is (no checks, no weight change, deadline stopped). The annotation fraud.payments.dev/pause-rollout="true" does the same; fraud.payments.dev/abort-rollout=<version> rolls that version back. */
  paused?: boolean;
}

/** Labelled history the gate replays through both versions before a new one sees live traffic: a CSV or Arrow file of transactions (the simulator's columns, TX_FRAUD as the label) in S3. A regression the replay proves refuses the version at once. Without it the gate checks the artifact only, and shadow traffic (where the new version has no authority) is its first judge. */
export interface FraudModelSpecRolloutReplay {
  /** Location of the history, for example s3://history/labelled-2026-01.arrow. */
  uri: string;
  /** At most this many transactions (the first ones of the file) are replayed. */
  maxTransactions?: number;
}

/** Replica bounds and the autoscaling target, per model version. */
export interface FraudModelSpecScaling {
  /** Fewest scorer replicas. */
  minReplicas: number;
  /** Most scorer replicas; at most kafka.partitions. */
  maxReplicas: number;
  /** Consumer lag (messages) per replica that the autoscaler aims for. */
  targetLagPerReplica?: number;
  /** Average CPU utilisation (percent of the request) the autoscaler aims for. */
  targetCPUUtilizationPercentage?: number;
}

/** The Kafka topics the scorers read and write, and how to reach the brokers. */
export interface FraudModelSpecKafka {
  /** Name of a Secret in this namespace whose key `bootstrap` holds the broker list. */
  bootstrapSecret: string;
  /** Partition count of the input topic; total scorer replicas are capped at it. */
  partitions: number;
  /** Topic names. */
  topics: FraudModelSpecKafkaTopics;
}

/** Topic names. */
export interface FraudModelSpecKafkaTopics {
  /** Topic of incoming transactions to score. */
  input: string;
  /** Topic the authoritative verdicts are written to. */
  verdicts: string;
  /** Topic of delayed fraud labels (chargebacks, confirmed frauds) used by the canary. */
  labels: string;
  /** Topic where malformed messages go, with a reason. */
  deadLetters: string;
  /** Prefix of the per-version score streams (<prefix>.<version>), which the canary joins with the labels. */
  scoresPrefix?: string;
}

/** Where and how the scorer pods run. Every field is optional. */
export interface FraudModelSpecScorer {
  /** Scorer image; defaults to the operator's --scorer-image (SCORER_IMAGE). */
  image?: string;
  /** Pull policy of the scorer image. */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Name of a Secret in this namespace whose keys become the scorer's environment: REDIS_URL (the feature state), optionally VERDICT_REDIS_URL (verdicts and evaluation data, default REDIS_URL), S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY. */
  runtimeSecret?: string;
  /** Node labels a scorer pod must match. */
  nodeSelector?: Record<string, string>;
  /** Taints the scorer pods tolerate. */
  tolerations?: FraudModelSpecScorerTolerationsItem[];
  /** CPU request of a scorer container (the HPA's utilisation is relative to it). */
  cpuRequest?: string;
  /** Memory request and limit of a scorer container. */
  memoryLimit?: string;
}

export interface FraudModelSpecScorerTolerationsItem {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The ONNX model artifact to serve. Changing it starts a canary rollout. */
export interface FraudModelSpecModel {
  /** Location of the ONNX artifact in S3, for example s3://models/fraud/v7.onnx. */
  uri: string;
  /** Version label of the model, shown in status and printer columns (for example v7). */
  version: string;
  /** Lower-case hex SHA-256 of the artifact; the operator refuses a file that does not match. */
  sha256: string;
  /** Decision threshold on the fraud score; a transaction scoring at or above it is declined. Strictly between 0 and 1. */
  threshold: number;
  /** Width of the model's input (features per transaction, in the feature engine's order): 15 for the Handbook's set, 21 for the full set. */
  featureCount?: number;
  /** Name of the ONNX model's input tensor. */
  inputName?: string;
}
