import type { Logger } from 'pino';
import { isConflict, isNotFound } from './errors.ts';
import { type LeaseSpec, leaseDecision } from './lease-decision.ts';
import { collectionPath, KINDS, objectPath } from './paths.ts';
import type { KubeRest } from './rest.ts';

interface Lease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec & { holderIdentity?: string };
}

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  /** How often the leader renews and a candidate retries. */
  retryPeriodMs: number;
  /** A leader that has not renewed for this long stops leading (before its lease can expire for others). */
  renewDeadlineMs: number;
}

/**
 * Leader election on a coordination.k8s.io Lease, with optimistic concurrency (the resourceVersion on every write),
 * so two candidates can never both win. `onStartedLeading` runs once per term; `onStoppedLeading` when the lease is
 * lost or could not be renewed within the renew deadline; on `release()` the holder clears the lease so a successor
 * need not wait for it to expire.
 */
export class LeaderElector {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private lastRenew = 0;
  private stopped = false;

  private readonly rest: KubeRest;
  private readonly options: LeaderElectionOptions;
  private readonly log: Logger;
  private readonly callbacks: { onStartedLeading: () => void; onStoppedLeading: () => void };

  constructor(
    rest: KubeRest,
    options: LeaderElectionOptions,
    log: Logger,
    callbacks: { onStartedLeading: () => void; onStoppedLeading: () => void },
  ) {
    this.rest = rest;
    this.options = options;
    this.log = log;
    this.callbacks = callbacks;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs);
  }

  private path(): string {
    return objectPath(KINDS.Lease, this.options.namespace, this.options.name);
  }

  private async tick(): Promise<void> {
    try {
      await this.tryAcquireOrRenew();
    } catch (err) {
      if (!isConflict(err)) this.log.warn({ err }, 'lease update failed');
    }
    if (this.leading && Date.now() - this.lastRenew > this.options.renewDeadlineMs) this.lose('renew deadline passed');
    this.schedule();
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const now = Date.now();
    const { identity, leaseDurationSeconds, namespace, name } = this.options;
    let current: Lease | undefined;
    try {
      current = await this.rest.get<Lease>(this.path());
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const decision = leaseDecision(current?.spec, identity, now);
    const stamp = new Date(now).toISOString().replace('Z', '000Z');
    if (decision.action === 'wait') {
      if (this.leading) this.lose(`lease is held by ${decision.holder}`);
      return;
    }
    const spec: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds,
      renewTime: stamp,
      acquireTime: decision.action === 'renew' ? (current?.spec.acquireTime ?? stamp) : stamp,
      leaseTransitions: decision.action === 'renew' ? (current?.spec.leaseTransitions ?? 0) : decision.transitions,
    };
    if (current === undefined) {
      await this.rest.create(collectionPath(KINDS.Lease, namespace), {
        apiVersion: KINDS.Lease.apiVersion,
        kind: KINDS.Lease.kind,
        metadata: { name, namespace },
        spec,
      });
    } else {
      await this.rest.replace(this.path(), { ...current, spec });
    }
    this.lastRenew = now;
    if (!this.leading) {
      this.leading = true;
      this.log.info({ lease: `${namespace}/${name}`, identity }, 'became leader');
      this.callbacks.onStartedLeading();
    }
  }

  private lose(why: string): void {
    this.leading = false;
    this.log.warn({ why }, 'stopped leading');
    this.callbacks.onStoppedLeading();
  }

  /** Stops campaigning; a leader clears its holder identity so another replica takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const current = await this.rest.get<Lease>(this.path());
      if (current.spec.holderIdentity === this.options.identity) {
        await this.rest.replace(this.path(), { ...current, spec: { ...current.spec, holderIdentity: '' } });
      }
    } catch (err) {
      this.log.warn({ err }, 'could not release the lease');
    }
  }
}
