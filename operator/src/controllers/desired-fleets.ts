import { authoritySchedule, fleetPlan, isTerminal, type RolloutStatus } from '@fraud-operator/canary';
import type { FraudModel, FraudModelStatus } from '../api/v1alpha1/index.ts';
import type { Fleet, ModelCard } from '../children/index.ts';
import { replicaBounds } from '../children/replica-caps.ts';

const cardOf = (m: FraudModel['spec']['model']): ModelCard => ({
  uri: m.uri,
  version: m.version,
  sha256: m.sha256,
  threshold: m.threshold,
  featureCount: m.featureCount ?? 15,
  inputName: m.inputName ?? 'input',
});

const same = (card: ModelCard | null | undefined, version: string | null, sha256: string | null): boolean =>
  card != null && card.version === version && card.sha256 === sha256;

/**
 * The full model card (uri, threshold, …) of the stable version and of the version under rollout. spec.model names
 * only the newest version, so each card is remembered in status from the moment its version entered play.
 */
export function modelCards(
  previous: Pick<FraudModelStatus, 'stableModel' | 'canaryModel'> | undefined,
  next: RolloutStatus,
  specModel: FraudModel['spec']['model'],
): { stableModel: ModelCard | undefined; canaryModel: ModelCard | null } {
  // spec first: a threshold changed on the same version and artifact takes effect without a rollout.
  const known = [cardOf(specModel), previous?.stableModel, previous?.canaryModel];
  const find = (version: string | null, sha256: string | null) => known.find((c) => same(c, version, sha256));
  const stableModel = next.stableVersion === null ? undefined : find(next.stableVersion, next.stableSha256);
  const r = next.rollout;
  const canaryModel = r === null || isTerminal(r.phase) ? null : (find(r.version, r.sha256) ?? null);
  return { stableModel: stableModel ?? undefined, canaryModel };
}

/** The scorer fleets to run now: the rollout's plan, with each fleet's config mode, schedule and replica bounds. */
export function desiredFleets(
  owner: FraudModel,
  next: RolloutStatus,
  cards: { stableModel: ModelCard | undefined; canaryModel: ModelCard | null },
): Fleet[] {
  const plan = fleetPlan(next);
  const authority = authoritySchedule(next) ?? undefined;
  const canaryWeight = next.rollout && !isTerminal(next.rollout.phase) ? next.rollout.weight : 0;
  const bounds = replicaBounds(
    plan.map((p) => ({ version: p.version, weight: p.role === 'stable' ? 100 - canaryWeight : canaryWeight })),
    owner.spec.scaling,
    owner.spec.kafka.partitions,
  );
  return plan.flatMap((p, i): Fleet[] => {
    const model = p.role === 'stable' ? cards.stableModel : cards.canaryModel;
    if (!model) return [];
    const b = bounds[i]!;
    return [
      {
        owner,
        model,
        role: p.role,
        mode: p.mode,
        ...(p.mode === 'canary' && authority ? { authority } : {}),
        minReplicas: b.minReplicas,
        maxReplicas: b.maxReplicas,
      },
    ];
  });
}
