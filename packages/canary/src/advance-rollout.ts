import { checkWindow, type WindowCheck } from './check-window.ts';
import { type RolloutControl, rolloutControl } from './control.ts';
import { comparePaired } from './paired-comparison.ts';
import { resolvePolicy } from './policy.ts';
import type {
  AdvanceInput,
  AdvanceResult,
  Decision,
  DecisionRecord,
  FraudModelRolloutSpec,
  PairedScores,
  RolloutPhase,
  RolloutPolicy,
  RolloutState,
  RolloutStatus,
} from './types.ts';

const TERMINAL: ReadonlySet<RolloutPhase> = new Set(['Promoted', 'RolledBack', 'Refused']);
const DRAINING: ReadonlySet<RolloutPhase> = new Set(['Promoting', 'RollingBack']);
export const isTerminal = (phase: RolloutPhase): boolean => TERMINAL.has(phase);

interface Numbers {
  apStable: number | null;
  apCanary: number | null;
  delta: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  labelled: number;
  frauds: number;
}
const NO_NUMBERS: Numbers = {
  apStable: null,
  apCanary: null,
  delta: null,
  ciLow: null,
  ciHigh: null,
  labelled: 0,
  frauds: 0,
};

/** Everything one call works with; `decide` appends a record and remembers the reason. */
class Step {
  readonly decisions: DecisionRecord[] = [];
  readonly input: AdvanceInput;
  readonly policy: RolloutPolicy;
  readonly control: RolloutControl;
  readonly status: RolloutStatus;
  constructor(input: AdvanceInput) {
    this.input = input;
    this.policy = resolvePolicy(input.policy, input.spec.rollout.steps.length);
    this.control = rolloutControl(input.annotations, input.spec);
    this.status = structuredClone(input.status);
  }
  get spec(): FraudModelRolloutSpec {
    return this.input.spec;
  }
  get now(): number {
    return this.input.now;
  }
  /** The greatest event time any version has scored, or null. */
  get maxFrontier(): number | null {
    const { stable, canary } = this.input.evidence.frontier;
    if (stable === null) return canary;
    return canary === null ? stable : Math.max(stable, canary);
  }
  /** The event time both versions have scored up to, or null while one has scored nothing. */
  get minFrontier(): number | null {
    const { stable, canary } = this.input.evidence.frontier;
    return stable === null || canary === null ? null : Math.min(stable, canary);
  }
  decide(r: RolloutState, decision: Decision, reason: string, message: string, numbers: Numbers = NO_NUMBERS): void {
    r.reason = reason;
    this.decisions.push({
      time: new Date(this.now).toISOString(),
      decision,
      reason,
      message,
      phase: r.phase,
      version: r.version,
      sha256: r.sha256,
      step: r.stepIndex,
      weight: r.weight,
      ...numbers,
      failedChecks: r.failedChecks,
    });
  }
  /** A hold is recorded only when its reason changes, so a resync every few seconds does not flood history. */
  hold(r: RolloutState, reason: string, message: string, numbers: Numbers = NO_NUMBERS): void {
    if (r.reason !== reason) this.decide(r, 'hold', reason, message, numbers);
  }
  result(): AdvanceResult {
    return { status: this.status, decisions: this.decisions };
  }
}

/**
 * One reconcile's worth of the rollout: reads spec, the status so far and the evidence, returns the next status and
 * the decisions taken (each to become a status.history entry, an Event and a metric). Pure and deterministic: the
 * same input gives the same output, so every decision can be replayed from its recorded evidence.
 */
export function advanceRollout(input: AdvanceInput): AdvanceResult {
  validateSpec(input.spec);
  const step = new Step(input);
  const { status, spec } = step;
  if (status.stableVersion === null) {
    admitFirstVersion(step);
    return step.result();
  }
  const wanted = spec.model;
  const specIsStable = wanted.version === status.stableVersion && wanted.sha256 === status.stableSha256;
  let r = status.rollout;
  let specIsRollout = r !== null && r.version === wanted.version && r.sha256 === wanted.sha256;

  if (r === null || isTerminal(r.phase)) {
    if (specIsStable || specIsRollout) return step.result();
    r = newRollout(step);
    status.rollout = r;
    specIsRollout = true;
  }
  extendCoverage(step, r);

  if (!DRAINING.has(r.phase)) {
    if (!specIsRollout && r.phase !== 'Gate') {
      rollback(step, r, specIsStable ? 'SpecReverted' : 'Superseded', 'spec.model no longer names this version');
      return step.result();
    }
    if (!specIsRollout) {
      r.phase = 'Refused';
      step.decide(r, 'refused', 'Superseded', 'spec.model changed before the gate finished');
      return step.result();
    }
    if (step.control.abortVersion === r.version) {
      rollback(step, r, 'Aborted', `annotation asked to abort ${r.version}`);
      return step.result();
    }
    if (step.control.paused) {
      if (r.pausedAt === null) {
        r.pausedAt = step.now;
        step.decide(r, 'paused', 'Paused', 'rollout paused: no checks, no weight change, deadline stopped');
      }
      return step.result();
    }
    if (r.pausedAt !== null) {
      r.stepStartedAt += step.now - r.pausedAt;
      r.pausedAt = null;
      step.decide(r, 'resumed', 'Resumed', 'rollout resumed; the deadline was extended by the pause');
    }
  }
  switch (r.phase) {
    case 'Gate':
      gate(step, r);
      break;
    case 'Shadow':
    case 'Steps':
      checkStep(step, r);
      break;
    case 'Promoting':
    case 'RollingBack':
      drain(step, r);
      break;
    default:
      break;
  }
  return step.result();
}

function validateSpec(spec: FraudModelRolloutSpec): void {
  const { steps, minLabelledFrauds, maxPrAucLoss, maxFailedChecks, analysisWindowMinutes } = spec.rollout;
  if (steps.length === 0) throw new Error('spec.rollout.steps must not be empty');
  steps.forEach((weight, i) => {
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw new Error(`spec.rollout.steps[${i}] is ${weight}, must be an integer in 1..100`);
    }
    if (i > 0 && weight <= (steps[i - 1] as number)) {
      throw new Error(`spec.rollout.steps[${i}] is ${weight}, must be above the step before it`);
    }
  });
  if (!(minLabelledFrauds >= 1)) throw new Error(`spec.rollout.minLabelledFrauds is ${minLabelledFrauds}, must be ≥ 1`);
  if (!(maxPrAucLoss >= 0 && maxPrAucLoss <= 1)) {
    throw new Error(`spec.rollout.maxPrAucLoss is ${maxPrAucLoss}, must be in 0..1`);
  }
  if (!(maxFailedChecks >= 1)) throw new Error(`spec.rollout.maxFailedChecks is ${maxFailedChecks}, must be ≥ 1`);
  if (!(analysisWindowMinutes >= 0)) {
    throw new Error(`spec.rollout.analysisWindowMinutes is ${analysisWindowMinutes}, must be ≥ 0`);
  }
}

function newRollout(step: Step): RolloutState {
  const r: RolloutState = {
    version: step.spec.model.version,
    sha256: step.spec.model.sha256,
    phase: 'Gate',
    stepIndex: -1,
    weight: 0,
    schedule: [],
    coveredUntil: 0,
    stepStartedAt: step.now,
    windowFrom: null,
    looks: 0,
    failedChecks: 0,
    pausedAt: null,
    drainAfter: null,
    reason: 'GateStarted',
    metrics: null,
  };
  step.decide(r, 'hold', 'GateStarted', `gate started for ${r.version} against stable ${step.status.stableVersion}`);
  return r;
}

/** The first version has nothing to be compared with: checksum and contract only, then it is stable. */
function admitFirstVersion(step: Step): void {
  const { spec, status } = step;
  const current = status.rollout;
  const r =
    current !== null && current.version === spec.model.version && current.sha256 === spec.model.sha256
      ? current
      : newRollout(step);
  status.rollout = r;
  if (r.phase === 'Refused') return;
  const gateEvidence = step.input.evidence.gate;
  if (gateEvidence === undefined || gateEvidence.sha256 === null || gateEvidence.contract === null) {
    step.hold(r, 'GateWaiting', 'waiting for the artifact checksum and ONNX contract check');
    return;
  }
  if (refuseOnArtifact(step, r)) return;
  status.stableVersion = r.version;
  status.stableSha256 = r.sha256;
  status.rollout = null;
  step.decide(r, 'admitted', 'FirstVersion', `${r.version} has a matching checksum and contract and becomes stable`);
}

/** Refuses the version when its checksum or contract is wrong; true when it did. */
function refuseOnArtifact(step: Step, r: RolloutState): boolean {
  const gateEvidence = step.input.evidence.gate;
  if (gateEvidence?.sha256 != null && gateEvidence.sha256 !== r.sha256) {
    r.phase = 'Refused';
    step.decide(r, 'refused', 'ChecksumMismatch', `artifact sha256 ${gateEvidence.sha256} ≠ spec ${r.sha256}`);
    return true;
  }
  if (gateEvidence?.contract != null && !gateEvidence.contract.ok) {
    r.phase = 'Refused';
    step.decide(r, 'refused', 'ContractMismatch', gateEvidence.contract.message);
    return true;
  }
  return false;
}

function deadlinePassed(step: Step, r: RolloutState): boolean {
  const minutes = step.spec.rollout.stepDeadlineMinutes ?? step.policy.stepDeadlineMinutes;
  return step.now - r.stepStartedAt > minutes * 60_000;
}

function gate(step: Step, r: RolloutState): void {
  if (refuseOnArtifact(step, r)) return;
  const gateEvidence = step.input.evidence.gate;
  const replayWanted = step.spec.rollout.replay !== false;
  if (
    gateEvidence === undefined ||
    gateEvidence.sha256 === null ||
    gateEvidence.contract === null ||
    (replayWanted && !gateEvidence.replay)
  ) {
    if (deadlinePassed(step, r)) {
      r.phase = 'Refused';
      step.decide(r, 'refused', 'GatePastDeadline', 'checksum, contract or offline replay did not finish in time');
      return;
    }
    step.hold(r, 'GateWaiting', 'waiting for the checksum, the ONNX contract check and the offline replay');
    return;
  }
  if (!replayWanted) {
    startShadow(step, r);
    step.decide(
      r,
      'gate-passed',
      'GatePassed',
      'checksum and contract match; no offline replay configured: shadow traffic is the first judge; shadow starts',
    );
    return;
  }
  const { minLabelledFrauds, maxPrAucLoss } = step.spec.rollout;
  const replay = gateEvidence.replay as PairedScores;
  let frauds = 0;
  for (let i = 0; i < replay.labels.length; i += 1) frauds += replay.labels[i] as number;
  if (frauds < minLabelledFrauds || frauds === replay.labels.length) {
    r.phase = 'Refused';
    step.decide(
      r,
      'refused',
      'ReplayInconclusive',
      `offline replay has ${frauds} frauds; ${minLabelledFrauds} needed`,
      {
        ...NO_NUMBERS,
        labelled: replay.labels.length,
        frauds,
      },
    );
    return;
  }
  const c = comparePaired(replay, {
    resamples: step.policy.resamples,
    alpha: step.policy.alpha,
    seed: step.policy.seed,
  });
  const numbers = comparisonNumbers(c);
  if (c.upper < -maxPrAucLoss) {
    r.phase = 'Refused';
    step.decide(
      r,
      'refused',
      'ReplayRegression',
      `offline replay: AP ${fmt(c.apCanary)} vs stable ${fmt(c.apStable)}, loss beyond ${maxPrAucLoss}`,
      numbers,
    );
    return;
  }
  startShadow(step, r);
  step.decide(
    r,
    'gate-passed',
    'GatePassed',
    `checksum and contract match; offline replay AP ${fmt(c.apCanary)} vs stable ${fmt(c.apStable)}; shadow starts`,
    numbers,
  );
}

function startShadow(step: Step, r: RolloutState): void {
  r.phase = 'Shadow';
  r.schedule = [{ from: 0, weight: 0 }];
  r.windowFrom = step.maxFrontier;
  r.stepStartedAt = step.now;
  r.looks = 0;
  extendCoverage(step, r);
}

/**
 * Keeps coveredUntil ahead of the traffic (it only grows), so scorers never wait while nothing changes. Coverage is
 * event time and grows only from the scorers' frontier, never from the wall clock: traffic replayed or simulated in
 * the past (or a backlog hours behind) would otherwise be promised a schedule days ahead of it. With no frontier known
 * yet, scorers wait at the coverage they have until the next step extends it.
 */
function extendCoverage(step: Step, r: RolloutState): void {
  if (r.schedule.length === 0 || step.maxFrontier === null) return;
  r.coveredUntil = Math.max(r.coveredUntil, step.maxFrontier + step.policy.horizonMs);
}

/** Appends a weight change at an event time no scorer can have passed: at or after the coverage promised so far. */
function scheduleWeight(step: Step, r: RolloutState, weight: number): number {
  const last = r.schedule.at(-1);
  if (last !== undefined && last.weight === weight) return last.from;
  const from = Math.max(r.coveredUntil, (step.maxFrontier ?? r.coveredUntil) + step.policy.leadMs);
  r.schedule.push({ from, weight });
  r.weight = weight;
  r.coveredUntil = Math.max(r.coveredUntil, from + step.policy.horizonMs);
  return from;
}

function checkStep(step: Step, r: RolloutState): void {
  if (r.windowFrom === null) r.windowFrom = step.maxFrontier;
  const window = step.input.evidence.window;
  const minFrontier = step.minFrontier;
  const { analysisWindowMinutes } = step.spec.rollout;
  let check: WindowCheck | null = null;
  let waitReason = 'EvidencePending';
  let waitMessage = 'no paired evidence for the current window yet';
  if (r.windowFrom === null || minFrontier === null) {
    waitReason = 'NoTraffic';
    waitMessage = 'a version has not scored any transaction yet';
  } else if (window !== undefined && window.from === r.windowFrom) {
    const stepFrom = Math.max(r.windowFrom, r.schedule.at(-1)?.from ?? 0);
    if (minFrontier - stepFrom < analysisWindowMinutes * 60_000) {
      waitReason = 'WindowFilling';
      waitMessage = `this step has run ${Math.max(0, minFrontier - stepFrom)} ms of event time; ${analysisWindowMinutes} min needed`;
    } else {
      check = checkWindow({
        pairs: window,
        minLabelledFrauds: step.spec.rollout.minLabelledFrauds,
        maxPrAucLoss: step.spec.rollout.maxPrAucLoss,
        looks: r.looks,
        maxLooks: step.policy.maxLooks,
        alpha: step.policy.alpha,
        resamples: step.policy.resamples,
        seed: lookSeed(step.policy.seed, r),
      });
    }
  }
  if (check?.comparison) {
    r.looks += 1;
    r.metrics = {
      stable: {
        version: step.status.stableVersion as string,
        prAuc: round4(check.comparison.apStable),
        labelled: check.labelled,
        frauds: check.frauds,
      },
      canary: {
        version: r.version,
        prAuc: round4(check.comparison.apCanary),
        labelled: check.labelled,
        frauds: check.frauds,
      },
    };
  }
  const numbers = check ? checkNumbers(check) : NO_NUMBERS;
  if (check?.outcome === 'pass') {
    passStep(step, r, numbers);
    return;
  }
  if (check?.outcome === 'fail') {
    r.failedChecks += 1;
    const max = step.spec.rollout.maxFailedChecks;
    step.decide(
      r,
      'failed-check',
      check.reason,
      `${lookMessage(check)}; failed check ${r.failedChecks} of ${max}`,
      numbers,
    );
    if (r.failedChecks >= max) {
      rollback(step, r, 'TooManyFailedChecks', `${r.failedChecks} failed checks`, numbers);
      return;
    }
    r.windowFrom = step.maxFrontier;
    r.looks = 0;
    r.stepStartedAt = step.now;
    return;
  }
  if (deadlinePassed(step, r)) {
    rollback(
      step,
      r,
      'InconclusivePastDeadline',
      `no conclusive check before the deadline (${check?.reason ?? waitReason})`,
      numbers,
    );
    return;
  }
  if (check?.looked) {
    step.decide(r, 'hold', check.reason, lookMessage(check), numbers);
    return;
  }
  if (check)
    step.hold(r, check.reason, `${check.frauds} labelled frauds of ${check.labelled} labelled transactions`, numbers);
  else step.hold(r, waitReason, waitMessage);
}

function passStep(step: Step, r: RolloutState, numbers: Numbers): void {
  const steps = step.spec.rollout.steps;
  const next = r.stepIndex + 1;
  const message = `AP ${fmt(numbers.apCanary)} vs stable ${fmt(numbers.apStable)}, lower bound ${fmt(numbers.ciLow)}`;
  if (next < steps.length) {
    const from = scheduleWeight(step, r, steps[next] as number);
    r.phase = 'Steps';
    r.stepIndex = next;
    r.stepStartedAt = step.now;
    step.decide(r, 'promote-step', 'NonInferior', `${message}; weight ${r.weight} from event time ${from}`, numbers);
    return;
  }
  const from = scheduleWeight(step, r, 100);
  r.phase = 'Promoting';
  r.drainAfter = from;
  step.decide(r, 'promote', 'NonInferior', `${message}; weight 100 from event time ${from}, then stable`, numbers);
  drain(step, r);
}

function rollback(step: Step, r: RolloutState, reason: string, message: string, numbers: Numbers = NO_NUMBERS): void {
  const hadAuthority = r.schedule.some((s) => s.weight > 0);
  if (r.schedule.length > 0) scheduleWeight(step, r, 0);
  r.weight = 0;
  r.pausedAt = null;
  if (hadAuthority) {
    r.phase = 'RollingBack';
    r.drainAfter = (r.schedule.at(-1) as { from: number }).from;
    step.decide(r, 'rollback', reason, `${message}; weight 0 from event time ${r.drainAfter}`, numbers);
    drain(step, r);
    return;
  }
  r.phase = 'RolledBack';
  step.decide(r, 'rollback', reason, `${message}; the canary never served authoritative verdicts`, numbers);
}

/** The retiring fleet may go once both fleets have scored past the change, plus a margin for partition skew. */
function drain(step: Step, r: RolloutState): void {
  const minFrontier = step.minFrontier;
  const target = (r.drainAfter ?? 0) + step.policy.drainMarginMs;
  if (minFrontier === null || minFrontier < target) {
    step.hold(r, 'Draining', `waiting for both fleets to score past event time ${target}`);
    return;
  }
  if (r.phase === 'Promoting') {
    r.phase = 'Promoted';
    step.status.stableVersion = r.version;
    step.status.stableSha256 = r.sha256;
    step.decide(r, 'promoted', 'Promoted', `${r.version} is stable; the previous fleet can be removed`);
    return;
  }
  r.phase = 'RolledBack';
  step.decide(r, 'rolled-back', 'RolledBack', `${r.version} has no authority left and can be removed`);
}

function lookSeed(seed: number, r: RolloutState): number {
  return (seed * 1_000_003 + (r.stepIndex + 2) * 10_007 + r.failedChecks * 101 + r.looks) >>> 0;
}

function comparisonNumbers(c: {
  apStable: number;
  apCanary: number;
  delta: number;
  lower: number;
  upper: number;
  labelled: number;
  frauds: number;
}): Numbers {
  return {
    apStable: c.apStable,
    apCanary: c.apCanary,
    delta: c.delta,
    ciLow: c.lower,
    ciHigh: c.upper,
    labelled: c.labelled,
    frauds: c.frauds,
  };
}

function checkNumbers(check: WindowCheck): Numbers {
  return check.comparison
    ? comparisonNumbers(check.comparison)
    : { ...NO_NUMBERS, labelled: check.labelled, frauds: check.frauds };
}

function lookMessage(check: WindowCheck): string {
  const c = check.comparison;
  if (c === null) return `${check.frauds} labelled frauds`;
  return `AP ${fmt(c.apCanary)} vs stable ${fmt(c.apStable)}, delta ${fmt(c.delta)} in [${fmt(c.lower)}, ${fmt(c.upper)}] on ${c.labelled} labelled (${c.frauds} frauds)`;
}

const fmt = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(4));
/** status.metrics feed the printer columns: four decimals, as the decisions' messages give them. */
const round4 = (value: number): number => Math.round(value * 1e4) / 1e4;
