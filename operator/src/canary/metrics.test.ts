import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { canaryMetrics } from './metrics.ts';

describe('canaryMetrics', () => {
  it('exports a decision with its numbers', async () => {
    const registry = new Registry();
    const metrics = canaryMetrics(registry);
    metrics.recordDecision(
      { namespace: 'fraud', name: 'cards' },
      {
        time: '2026-01-01T00:00:00.000Z',
        decision: 'promote-step',
        reason: 'NonInferior',
        message: '',
        phase: 'Steps',
        version: 'v2',
        sha256: 'b'.repeat(64),
        step: 0,
        weight: 10,
        apStable: 0.5,
        apCanary: 0.6,
        delta: 0.1,
        ciLow: 0.02,
        ciHigh: 0.18,
        labelled: 1000,
        frauds: 40,
        failedChecks: 0,
      },
    );
    const text = await registry.metrics();
    expect(text).toContain(
      'fraudmodel_rollout_decisions_total{namespace="fraud",name="cards",version="v2",decision="promote-step",reason="NonInferior"} 1',
    );
    expect(text).toContain('fraudmodel_rollout_pr_auc{namespace="fraud",name="cards",version="v2",role="canary"} 0.6');
    expect(text).toContain(
      'fraudmodel_rollout_pr_auc_delta{namespace="fraud",name="cards",version="v2",bound="low"} 0.02',
    );
    expect(text).toContain('fraudmodel_rollout_labelled{namespace="fraud",name="cards",version="v2",class="fraud"} 40');
  });
});
