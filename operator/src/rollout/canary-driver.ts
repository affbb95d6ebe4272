import {
  type AdvanceInput,
  advanceRollout,
  isTerminal,
  type PairedScores,
  type RolloutEvidence,
  type RolloutPolicy,
  type RolloutState,
} from '@fraud-operator/canary';
import type { Logger } from 'pino';
import type { FraudModel } from '../api/v1alpha1/index.ts';
import { scoreTopic } from '../children/names.ts';
import type { ArtifactGate } from './artifact-gate.ts';
import type { RolloutDriver } from './driver.ts';
import { scoresSinceOf } from './evidence-start.ts';
import type { ReplayRunner } from './replay.ts';
import { rolloutSpecOf } from './rollout-spec.ts';

/** Evidence of the paired window and the fleets' frontiers for one rollout (operator/src/canary's collector). */
export interface WindowEvidence {
  evidence(windowFrom: number | null): RolloutEvidence;
  close(): Promise<void>;
}

export type OpenWindowEvidence = (args: {
  key: string;
  stableVersion: string;
  canaryVersion: string;
  topics: { stableScores: string; canaryScores: string; labels: string };
  /** Wall-clock time from which the score streams hold paired evidence; null: from their beginning. */
  scoresSince: number | null;
}) => Promise<WindowEvidence>;

/** The offline replay of labelled history by both versions, or null while it is not available. */
export type ReplaySource = (args: { model: FraudModel; stableVersion: string }) => Promise<PairedScores | null>;

/** spec.rollout.replay through a ReplayRunner: the stable card from status, the candidate's from spec. */
export function replayFromSpec(runner: ReplayRunner): ReplaySource {
  return async ({ model }) => {
    const replay = model.spec.rollout.replay;
    const stable = model.status?.stableModel;
    if (!replay || !stable) return null;
    const m = model.spec.model;
    return runner.result({
      uri: replay.uri,
      maxTransactions: replay.maxTransactions ?? 1_000_000,
      stable,
      canary: {
        uri: m.uri,
        version: m.version,
        sha256: m.sha256,
        threshold: m.threshold,
        featureCount: m.featureCount ?? 15,
        inputName: m.inputName ?? 'input',
      },
    });
  };
}

export interface CanaryDriverDeps {
  gate: ArtifactGate;
  openWindow: OpenWindowEvidence;
  replay: ReplaySource;
  /** The latest event time in a score stream (operator/src/canary/frontier-probe.ts), or null. */
  probeFrontier?: (topic: string) => Promise<number | null>;
  policy?: Partial<RolloutPolicy>;
  log: Logger;
}

/**
 * The production rollout step: artifact gate (checksum, ONNX contract), replay, paired window evidence from the
 * score streams, then the pure advanceRollout of @fraud-operator/canary.
 */
export class CanaryDriver implements RolloutDriver {
  private readonly windows = new Map<string, { id: string; source: WindowEvidence }>();

  private readonly deps: CanaryDriverDeps;
  constructor(deps: CanaryDriverDeps) {
    this.deps = deps;
  }

  async advance({ model, status, now }: Parameters<RolloutDriver['advance']>[0]) {
    const key = `${model.metadata!.namespace}/${model.metadata!.name}`;
    const r = status.rollout;
    const specIsNew =
      (status.stableVersion === null || model.spec.model.version !== status.stableVersion) &&
      (r === null || isTerminal(r.phase) || r.version !== model.spec.model.version);
    const inGate = r?.phase === 'Gate' || specIsNew || status.stableVersion === null;
    let evidence: RolloutEvidence = { frontier: { stable: null, canary: null } };
    const live = r !== null && !isTerminal(r.phase) && r.phase !== 'Gate' && status.stableVersion !== null;
    if (live) {
      const source = await this.windowFor(key, model, status.stableVersion as string, r);
      evidence = source.evidence(r.windowFrom);
    } else {
      await this.forget(key);
    }
    if (inGate) {
      const artifact = await this.deps.gate.check(model.spec.model);
      const replay =
        status.stableVersion === null ? null : await this.deps.replay({ model, stableVersion: status.stableVersion });
      evidence = { ...evidence, gate: { ...artifact, replay } };
      // The shadow that a gate pass starts promises coverage from this frontier at once: without it the stable fleet
      // would get a schedule with none and hold its verdicts until the evidence collector has found its frontier.
      // Read only once the gate has all it needs to decide, not at every reconcile spent waiting for the replay.
      const decidable =
        artifact.sha256 !== null &&
        artifact.contract !== null &&
        (replay !== null || model.spec.rollout.replay === undefined);
      if (decidable && status.stableVersion !== null && this.deps.probeFrontier) {
        const prefix = model.spec.kafka.topics.scoresPrefix ?? 'scores';
        const stable = await this.deps.probeFrontier(scoreTopic(prefix, status.stableVersion)).catch((err) => {
          this.deps.log.warn({ err, key }, 'probing the frontier of the stable fleet failed');
          return null;
        });
        evidence = { ...evidence, frontier: { stable, canary: null } };
      }
    }
    const input: AdvanceInput = {
      spec: rolloutSpecOf(model.spec),
      status,
      evidence,
      now,
      annotations: model.metadata?.annotations,
      policy: this.deps.policy,
    };
    const result = advanceRollout(input);
    const { stable, canary } = evidence.frontier;
    const frontier = stable === null ? canary : canary === null ? stable : Math.max(stable, canary);
    return { ...result, frontier };
  }

  private async windowFor(key: string, model: FraudModel, stableVersion: string, canary: RolloutState) {
    const canaryVersion = canary.version;
    const id = `${stableVersion}→${canaryVersion}`;
    const current = this.windows.get(key);
    if (current?.id === id) return current.source;
    await this.forget(key);
    const prefix = model.spec.kafka.topics.scoresPrefix ?? 'scores';
    const source = await this.deps.openWindow({
      key,
      stableVersion,
      canaryVersion,
      topics: {
        stableScores: scoreTopic(prefix, stableVersion),
        canaryScores: scoreTopic(prefix, canaryVersion),
        labels: model.spec.kafka.topics.labels,
      },
      scoresSince: scoresSinceOf(model.status?.history, canary),
    });
    this.windows.set(key, { id, source });
    return source;
  }

  async forget(key: string): Promise<void> {
    const current = this.windows.get(key);
    if (!current) return;
    this.windows.delete(key);
    await current.source.close().catch((err) => this.deps.log.warn({ err, key }, 'closing rollout evidence failed'));
  }

  async close(): Promise<void> {
    for (const key of [...this.windows.keys()]) await this.forget(key);
  }
}
