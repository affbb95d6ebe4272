import { randomBytes } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { collectionPath, KINDS } from './paths.ts';
import type { KubeRest } from './rest.ts';

export interface EventInput {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
}

/** Writes events.k8s.io/v1 Events about an object (shown by `kubectl describe` and `kubectl events`). */
export class EventRecorder {
  private readonly rest: KubeRest;
  private readonly controller: string;
  private readonly instance: string;
  private readonly log: Logger;

  constructor(rest: KubeRest, controller: string, instance: string, log: Logger) {
    this.rest = rest;
    this.controller = controller;
    this.instance = instance;
    this.log = log;
  }

  async record(regarding: KubernetesObject, event: EventInput): Promise<void> {
    const meta = regarding.metadata ?? {};
    const namespace = meta.namespace ?? 'default';
    const body = {
      apiVersion: KINDS.Event.apiVersion,
      kind: KINDS.Event.kind,
      metadata: { name: `${meta.name}.${randomBytes(8).toString('hex')}`, namespace },
      eventTime: new Date().toISOString().replace('Z', '000Z'),
      reportingController: this.controller,
      reportingInstance: this.instance.slice(0, 128),
      action: event.action.slice(0, 128),
      reason: event.reason.slice(0, 128),
      note: event.note.slice(0, 1024),
      type: event.type,
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: meta.name,
        namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
    };
    try {
      await this.rest.create(collectionPath(KINDS.Event, namespace), body);
    } catch (err) {
      // An Event is a courtesy: losing one never fails a reconcile.
      this.log.warn({ err, reason: event.reason }, 'could not record an event');
    }
  }
}
