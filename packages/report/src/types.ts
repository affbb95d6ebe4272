/**
 * What a demo run records, as plain JSON data: `npm run demo` writes one, `renderReport` turns it into a page.
 * Times are RFC 3339 wall-clock strings; a null number means "not measured at that moment" (drawn as a gap).
 */

export const DEMO_RUN_FORMAT = 'fraud-operator/demo-run@1';

export interface DemoRun {
  format: typeof DEMO_RUN_FORMAT;
  /** Page title, for example "fraud-operator demo". */
  title: string;
  startedAt: string;
  endedAt: string;
  /** The FraudModel the demo rolled out. */
  model: { namespace: string; name: string };
  /** Every model version of the run, with its precision-recall curve on the same labelled hold-out. */
  versions: VersionCurve[];
  /** Sampled every few seconds, in time order. */
  samples: Sample[];
  /** The operator's decision records (status.history of the FraudModel), in time order. */
  decisions: DecisionRow[];
}

export interface PrPoint {
  recall: number;
  precision: number;
}

export interface VersionCurve {
  version: string;
  /** SHA-256 of the ONNX artifact (lower-case hex). */
  sha256: string;
  /** What the demo meant this version to be, for example "baseline", "better", "degraded". */
  role: string;
  /** Average precision (PR-AUC) on the hold-out. */
  ap: number;
  /** Labelled transactions and frauds of the hold-out the curve was computed on. */
  labelled: number;
  frauds: number;
  /** Points in order of descending threshold (recall non-decreasing). */
  curve: PrPoint[];
}

export interface Sample {
  time: string;
  /** Transactions produced to the input topic per second. */
  txPerSec: number | null;
  /** Authoritative verdicts written per second. */
  verdictsPerSec: number | null;
  /** Produce (Kafka append) to verdict durable, milliseconds. */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** Consumer lag (messages) of each scorer fleet, keyed by model version. */
  lag: Record<string, number | null>;
  /** Percent of authoritative verdicts the canary serves. */
  canaryWeight: number | null;
  stableVersion: string | null;
  canaryVersion: string | null;
  /** PR-AUC of the last look, per role. */
  stablePrAuc: number | null;
  canaryPrAuc: number | null;
}

/** One entry of the FraudModel's status.history (fields other than time, decision and reason may be absent). */
export interface DecisionRow {
  time: string;
  decision: string;
  reason: string;
  message?: string | undefined;
  phase?: string | undefined;
  version?: string | undefined;
  sha256?: string | undefined;
  step?: number | undefined;
  weight?: number | undefined;
  apStable?: number | null | undefined;
  apCanary?: number | null | undefined;
  delta?: number | null | undefined;
  ciLow?: number | null | undefined;
  ciHigh?: number | null | undefined;
  labelled?: number | undefined;
  frauds?: number | undefined;
}
