import type { DecisionRecord, RolloutStatus } from '@fraud-operator/canary';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { FraudModel, FraudModelStatus } from '../api/v1alpha1/index.ts';
import { driftOf } from '../children/drift.ts';
import type { Fleet } from '../children/fleet.ts';
import { childrenOf, type ScorerDefaults } from '../children/index.ts';
import { FIELD_MANAGER, FINALIZER, fleetName, LABELS, scorerGroup } from '../children/names.ts';
import { topicsToDelete, type WantedTopic, wantedTopics } from '../kafka/topic-plan.ts';
import { isNotFound } from '../kube/errors.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { Informer } from '../kube/informer.ts';
import { KINDS, type Kind, objectPath } from '../kube/paths.ts';
import type { KubeRest } from '../kube/rest.ts';
import type { ReconcileResult } from '../kube/work-queue.ts';
import type { RolloutDriver } from '../rollout/driver.ts';
import { rolloutStatusOf } from '../rollout/status-mapping.ts';
import { conditionTransitions } from './conditions.ts';
import { desiredFleets, modelCards } from './desired-fleets.ts';
import { nextStatus } from './next-status.ts';
import { requeueAfterMs } from './requeue.ts';

export interface TopicEnsurer {
  ensure(wanted: readonly WantedTopic[]): Promise<{ mismatches: string[] }>;
  delete(topics: readonly string[]): Promise<string[]>;
  /** Starts consumer group `to` at `from`'s committed offsets on `topic`, if `to` never committed. */
  seedGroup(topic: string, from: string, to: string): Promise<boolean>;
}

export type ChildKind = 'ConfigMap' | 'Service' | 'Deployment' | 'HorizontalPodAutoscaler';
export const CHILD_KINDS: readonly ChildKind[] = ['ConfigMap', 'Service', 'Deployment', 'HorizontalPodAutoscaler'];

export interface ReconcilerDeps {
  rest: KubeRest;
  children: Record<ChildKind, Informer<KubernetesObject>>;
  topics: TopicEnsurer;
  rollout: RolloutDriver;
  events: EventRecorder;
  defaults: ScorerDefaults;
  log: Logger;
  /** How soon an active rollout is looked at again. */
  rolloutPollMs: number;
  now?: () => number;
  onDecision?: (owner: { namespace: string; name: string }, d: DecisionRecord) => void;
}

const fmPath = (ns: string, name: string) => objectPath(KINDS.FraudModel, ns, name);

/**
 * The FraudModel reconciler (cluster-api's skeleton): get; 404 means done; ensure the finalizer; then reconcile
 * the deletion or the normal state, and write the status once at the end, only when it changed.
 */
export class FraudModelReconciler {
  private readonly deps: ReconcilerDeps;
  constructor(deps: ReconcilerDeps) {
    this.deps = deps;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const [namespace, name] = key.split('/') as [string, string];
    let model: FraudModel;
    try {
      model = await this.deps.rest.get<FraudModel>(fmPath(namespace, name));
    } catch (err) {
      if (isNotFound(err)) {
        await this.deps.rollout.forget(key);
        return undefined;
      }
      throw err;
    }
    const finalizers = model.metadata?.finalizers ?? [];
    if (model.metadata?.deletionTimestamp) {
      if (finalizers.includes(FINALIZER)) await this.reconcileDelete(key, model);
      return undefined;
    }
    if (!finalizers.includes(FINALIZER)) {
      await this.deps.rest.mergePatch(fmPath(namespace, name), {
        metadata: { finalizers: [...finalizers, FINALIZER], resourceVersion: model.metadata?.resourceVersion },
      });
      return undefined;
    }
    return this.reconcileNormal(key, model);
  }

  private async reconcileDelete(key: string, model: FraudModel): Promise<void> {
    const policy = model.spec.deletionPolicy ?? 'DeleteScoreStreams';
    const status = model.status ?? {};
    const versions = [
      model.spec.model.version,
      status.stableVersion,
      status.rollout?.version,
      ...(status.history ?? []).map((h) => h.version),
    ].filter((v): v is string => typeof v === 'string' && v.length > 0);
    const doomed = topicsToDelete(wantedTopics(model.spec, versions), policy);
    const deleted = doomed.length > 0 ? await this.deps.topics.delete(doomed) : [];
    await this.deps.rollout.forget(key);
    const meta = model.metadata!;
    await this.deps.events.record(model, {
      type: 'Normal',
      reason: 'Finalized',
      action: 'Delete',
      note: `deletionPolicy ${policy}: deleted topics [${deleted.join(', ')}]`,
    });
    await this.deps.rest.mergePatch(fmPath(meta.namespace!, meta.name!), {
      metadata: {
        finalizers: (meta.finalizers ?? []).filter((f) => f !== FINALIZER),
        resourceVersion: meta.resourceVersion,
      },
    });
    this.deps.log.info({ key, policy, deleted }, 'finalized');
  }

  private async reconcileNormal(key: string, model: FraudModel): Promise<ReconcileResult> {
    const log = this.deps.log.child({ key });
    const errors: string[] = [];
    let rollout: RolloutStatus = rolloutStatusOf(model.status);
    let decisions: DecisionRecord[] = [];
    let frontier: number | null = null;
    let topicMismatches: string[] = [];
    let status: FraudModelStatus | undefined;
    try {
      try {
        const result = await this.deps.rollout.advance({ model, status: rollout, now: this.now() });
        rollout = result.status;
        decisions = result.decisions;
        frontier = result.frontier;
      } catch (err) {
        log.warn({ err }, 'rollout step failed');
        errors.push(`rollout: ${(err as Error).message}`);
      }
      const cards = modelCards(model.status, rollout, model.spec.model);
      const fleets = desiredFleets(model, rollout, cards);
      const versions = fleets.map((f) => f.model.version);
      try {
        topicMismatches = (await this.deps.topics.ensure(wantedTopics(model.spec, versions))).mismatches;
      } catch (err) {
        log.warn({ err }, 'kafka topics');
        errors.push(`kafka: ${(err as Error).message}`);
      }
      await this.seedCanaryGroup(model, fleets, errors, log);
      for (const fleet of fleets) {
        for (const child of childrenOf(fleet, this.deps.defaults)) {
          try {
            await this.applyIfDrifted(child, log);
          } catch (err) {
            errors.push(`${child.kind} ${child.metadata?.name}: ${(err as Error).message}`);
          }
        }
      }
      try {
        await this.removeRetiredChildren(model, new Set(versions), log);
      } catch (err) {
        errors.push(`removing retired fleets: ${(err as Error).message}`);
      }
      const deployments = this.deps.children.Deployment;
      status = nextStatus(
        model,
        {
          rollout,
          decisions,
          cards,
          frontier,
          topicMismatches,
          error: errors.length > 0 ? errors.join('; ') : null,
          fleets: fleets.map((f) => {
            const name = fleetName(model.metadata!.name!, f.model.version);
            const d = deployments.get(model.metadata!.namespace!, name) as V1Deployment | undefined;
            return {
              version: f.model.version,
              role: f.role,
              mode: f.mode,
              deployment: name,
              replicas: d?.status?.replicas ?? 0,
              readyReplicas: d?.status?.readyReplicas ?? 0,
              maxReplicas: f.maxReplicas,
            };
          }),
        },
        new Date(this.now()),
      );
    } finally {
      if (status) await this.writeStatus(model, status, decisions);
    }
    if (errors.length > 0) throw new Error(errors.join('; '));
    const after = requeueAfterMs(rollout, decisions, this.deps.rolloutPollMs);
    return after === undefined ? undefined : { requeueAfterMs: after };
  }

  private async applyIfDrifted(child: KubernetesObject, log: Logger): Promise<void> {
    const kind = child.kind as ChildKind;
    const meta = child.metadata!;
    const live = this.deps.children[kind].get(meta.namespace!, meta.name!);
    const drift = live ? driftOf(child, live) : 'missing';
    if (drift === null) return;
    const k: Kind = KINDS[kind];
    await this.deps.rest.apply(objectPath(k, meta.namespace!, meta.name!), child, FIELD_MANAGER);
    log.info({ kind, name: meta.name, drift }, live ? 'repaired drift' : 'created');
  }

  /** Deletes the children of versions no longer in play (the old fleet after a promotion, a rolled-back canary). */
  /**
   * Before a canary fleet first starts, its consumer group is set at the stable fleet's offsets: it scores the live
   * traffic both see, not the topic's whole retention. A failure leaves the group unset (the fleet then reads from
   * the beginning) and is reported.
   */
  private async seedCanaryGroup(model: FraudModel, fleets: Fleet[], errors: string[], log: Logger): Promise<void> {
    const ns = model.metadata!.namespace!;
    const name = model.metadata!.name!;
    const stable = fleets.find((f) => f.role === 'stable');
    const canary = fleets.find((f) => f.role === 'canary');
    if (!stable || !canary || this.deps.children.Deployment.get(ns, fleetName(name, canary.model.version))) return;
    const from = scorerGroup(ns, name, stable.model.version);
    const to = scorerGroup(ns, name, canary.model.version);
    try {
      if (await this.deps.topics.seedGroup(model.spec.kafka.topics.input, from, to))
        log.info({ from, to }, 'canary consumer group starts at the stable fleet offsets');
    } catch (err) {
      errors.push(`seeding consumer group ${to}: ${(err as Error).message}`);
    }
  }

  private async removeRetiredChildren(model: FraudModel, keep: ReadonlySet<string>, log: Logger): Promise<void> {
    const meta = model.metadata!;
    for (const kind of CHILD_KINDS) {
      for (const child of this.deps.children[kind].list()) {
        const m = child.metadata ?? {};
        if (m.namespace !== meta.namespace || m.labels?.[LABELS.model] !== meta.name) continue;
        if (!m.ownerReferences?.some((o) => o.uid === meta.uid && o.controller)) continue;
        const version = m.labels?.[LABELS.version];
        if (version === undefined || keep.has(version) || m.deletionTimestamp) continue;
        try {
          await this.deps.rest.delete(objectPath(KINDS[kind], m.namespace!, m.name!), {
            propagationPolicy: 'Background',
          });
          log.info({ kind, name: m.name, version }, 'removed retired fleet child');
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
  }

  private async writeStatus(
    model: FraudModel,
    status: FraudModelStatus,
    decisions: readonly DecisionRecord[],
  ): Promise<void> {
    const meta = model.metadata!;
    if (JSON.stringify(status) !== JSON.stringify(model.status ?? {})) {
      // PUT with the resourceVersion read at the start: a concurrent writer makes this a 409, and the key is retried.
      await this.deps.rest.replace(`${fmPath(meta.namespace!, meta.name!)}/status`, { ...model, status });
    }
    const owner = { namespace: meta.namespace!, name: meta.name! };
    for (const d of decisions) {
      this.deps.onDecision?.(owner, d);
      const warning = d.decision === 'refused' || d.decision === 'failed-check' || d.decision === 'rollback';
      await this.deps.events.record(model, {
        type: warning ? 'Warning' : 'Normal',
        reason: d.reason,
        action: d.decision,
        note: `${d.version} (sha256 ${d.sha256.slice(0, 12)}): ${d.message}; labelled ${d.labelled}, frauds ${d.frauds}`,
      });
    }
    for (const { condition, previous } of conditionTransitions(model.status?.conditions, status.conditions ?? [])) {
      await this.deps.events.record(model, {
        type: condition.type === 'Degraded' && condition.status === 'True' ? 'Warning' : 'Normal',
        reason: condition.reason ?? condition.type,
        action: `Condition${condition.type}`,
        note: `${condition.type} ${previous?.status ?? 'unset'} → ${condition.status}: ${condition.message ?? ''}`,
      });
    }
  }
}
