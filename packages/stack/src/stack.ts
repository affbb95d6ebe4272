import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from './artifacts.ts';
import { buildAll } from './build.ts';
import { adminKubeconfig } from './kubeconfig.ts';
import { ensureProjectImages, type ProjectImage } from './node/images.ts';
import { cleanUpNode, nodeExists, nodeWanted, placeCommand, stopNode } from './node/lifecycle.ts';
import { createNetns, nodeUnavailable } from './node/netns.ts';
import { nodeServices } from './node/services.ts';
import { type NodeTopology, nodeTopology } from './node/topology.ts';
import { CACHE_DIR, logFile, STACK_DIR, stackPaths } from './paths.ts';
import { ensurePki, pkiPaths } from './pki.ts';
import { freePort } from './ports.ts';
import { waitFor } from './probes.ts';
import { isAlive, startDetached, stopGroup, tailFile } from './process.ts';
import { ensureDirs, SERVICES, type Service, type StackContext } from './services.ts';
import { clearState, livePids, readState, type StackState, writeState } from './state.ts';

const say = (msg: string) => process.stderr.write(`${msg}\n`);
const secondsSince = (t: number) => Math.round((Date.now() - t) / 100) / 10;

export class PartFailed extends Error {
  readonly part: string;
  constructor(part: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${part} failed to start: ${reason}\n--- last lines of ${logFile(part)} ---\n${tailFile(logFile(part))}`);
    this.part = part;
  }
}

export type UpResult = { already: true; state: StackState } | { already: false; state: StackState; seconds: number };

/** The parts of a stack: the servers, and with a node its relays, namespace holder, containerd and kubelet. */
export function stackServices(node: NodeTopology | undefined, images: () => ProjectImage[] = () => []): Service[] {
  if (!node) return SERVICES;
  const relayed = () => SERVICES.flatMap((s) => s.ports.filter((p) => !s.internalPorts?.includes(p)));
  return [...nodeServices(relayed, images), ...SERVICES];
}

/** Whether to run the real node, and if it was wanted but cannot run here, why not. */
async function decideNode(wanted: boolean): Promise<{ node?: NodeTopology; skipped?: string }> {
  if (!wanted) return {};
  const why = await nodeUnavailable();
  if (why) {
    say(`[up] NO REAL NODE: ${why}. The stack starts without it (pods run only on the kwok node).`);
    return { skipped: why };
  }
  return { node: nodeTopology() };
}

/** Brings every part up on free loopback ports with fresh data; builds what the cache lacks first. */
export async function up(opts: { owner?: number; node?: boolean } = {}): Promise<UpResult> {
  const previous = readState();
  if (previous && livePids(previous).length > 0) return { already: true, state: previous };
  if (previous || nodeExists(nodeTopology())) await down({ quiet: true });

  const { node, skipped } = await decideNode(opts.node ?? nodeWanted());
  await buildAll({ node: node !== undefined });
  const images = node ? (await ensureProjectImages(say)).images : [];
  const services = stackServices(node, () => images);
  const started = Date.now();
  rmSync(stackPaths.data, { recursive: true, force: true });
  rmSync(stackPaths.logs, { recursive: true, force: true });
  ensureDirs();
  const host = process.env.FRAUD_STACK_HOST ?? '127.0.0.1';
  const pki = await ensurePki(stackPaths.pki);
  const ports: Record<string, number> = {};
  for (const name of services.flatMap((s) => s.ports)) {
    let port = await freePort(host, previous?.ports[name]);
    while (Object.values(ports).includes(port)) port = await freePort(host);
    ports[name] = port;
  }
  const ctx: StackContext = {
    host,
    ports,
    pki,
    secrets: previous?.secrets ?? {
      s3Access: `stack${randomBytes(6).toString('hex')}`,
      s3Secret: randomBytes(24).toString('base64url'),
    },
    node,
    pids: {},
  };
  const state: StackState = { host, ports, secrets: ctx.secrets, parts: {}, owner: opts.owner };
  if (node) {
    state.node = { netns: node.netns, address: node.address, nodeName: node.nodeName };
    state.images = Object.fromEntries(images.map((i) => [i.envName!, i.ref]));
  }
  if (skipped) state.nodeSkipped = skipped;
  writeState(state);
  if (node) await createNetns(node);
  writeFileSync(stackPaths.kubeconfig, adminKubeconfig(`https://${host}:${ports.apiserver}`, pki), { mode: 0o600 });

  const readyAt = new Map<string, Promise<void>>();
  // With a node, every probe from the host goes through the relays: they start first.
  const after = (svc: Service) => (node && svc.name !== 'relays' ? [...svc.after, 'relays'] : svc.after);
  const startOne = async (svc: Service) => {
    await Promise.all(after(svc).map((dep) => readyAt.get(dep)));
    const t = Date.now();
    try {
      await svc.prepare?.(ctx);
      const { cmd, args, env } = placeCommand(svc, ctx, svc.command(ctx));
      const pid = startDetached(cmd, args, logFile(svc.name), env ?? process.env, STACK_DIR);
      ctx.pids[svc.name] = pid;
      state.parts[svc.name] = { pid, address: svc.address(ctx), version: svc.version, startedMs: Date.now() };
      writeState(state);
      await waitFor(
        svc.name,
        () => svc.ready(ctx),
        svc.startTimeoutMs,
        () => !isAlive(pid),
      );
      await svc.afterReady?.(ctx);
    } catch (err) {
      throw new PartFailed(svc.name, err);
    }
    say(`[up] ${svc.name} ready at ${svc.address(ctx)} in ${secondsSince(t)} s`);
  };
  for (const svc of services) readyAt.set(svc.name, startOne(svc));
  const results = await Promise.allSettled(readyAt.values());
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await down({ quiet: true });
    throw failed.reason;
  }
  writeEnv(ctx, services, images);
  linkTools();
  return { already: false, state, seconds: secondsSince(started) };
}

function writeEnv(ctx: StackContext, services: Service[], images: ProjectImage[]): void {
  const env: Record<string, string> = {
    STACK_DIR,
    KUBECTL: join(stackPaths.bin, 'kubectl'),
    HELM: join(stackPaths.bin, 'helm'),
    K6: join(stackPaths.bin, 'k6'),
  };
  for (const svc of services) Object.assign(env, svc.exports?.(ctx));
  for (const image of images) env[image.envName!] = image.ref;
  writeFileSync(
    stackPaths.env,
    `${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
}

/** kubectl of the cluster's own version, helm and k6, under .stack/bin. */
function linkTools(): void {
  const tools = {
    kubectl: join(ARTIFACTS.kubernetes.dir, 'kubectl'),
    helm: join(ARTIFACTS.helm.dir, 'helm'),
    k6: join(ARTIFACTS.k6.dir, 'k6'),
  };
  for (const [name, target] of Object.entries(tools)) {
    const link = join(stackPaths.bin, name);
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
}

/** Stops every part (whole process groups, SIGKILL after a grace period), then any stray process of ours. */
export async function down(opts: { quiet?: boolean; purge?: boolean } = {}): Promise<{ stopped: string[] }> {
  const state = readState();
  const stopped: string[] = [];
  const quietSay = (m: string) => {
    if (!opts.quiet) say(m);
  };
  const topology = nodeTopology();
  if (state?.node) stopped.push(...(await stopNode(state, topology, quietSay)));
  if (state) {
    const parts = Object.entries(state.parts).reverse();
    await Promise.all(
      parts.map(async ([name, part]) => {
        if (isAlive(part.pid)) stopped.push(name);
        await stopGroup(part.pid);
        if (!opts.quiet) say(`[down] ${name} stopped`);
      }),
    );
  }
  for (const pid of strayPids()) await stopGroup(pid, 2_000);
  await cleanUpNode(topology, quietSay);
  clearState();
  if (opts.purge) rmSync(stackPaths.data, { recursive: true, force: true });
  return { stopped };
}

/** Processes still running a cached stack binary against this stack's folder: the safety net of `down`. */
function strayPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const ours = [CACHE_DIR, 'redis-server', 'socat', 'nsenter', 'unshare'].some((s) => cmdline.includes(s));
      if (cmdline.includes(STACK_DIR) && ours) pids.push(pid);
    } catch {
      /* gone */
    }
  }
  return pids;
}

export interface PartStatus {
  name: string;
  version: string;
  address: string;
  pid: number;
  healthy: boolean;
}

export async function status(): Promise<PartStatus[] | undefined> {
  const state = readState();
  if (!state) return undefined;
  const node = state.node ? nodeTopology() : undefined;
  const ctx: StackContext = {
    host: state.host,
    ports: state.ports,
    secrets: state.secrets,
    pki: pkiPaths(stackPaths.pki),
    node,
    pids: Object.fromEntries(Object.entries(state.parts).map(([name, p]) => [name, p.pid])),
  };
  return Promise.all(
    stackServices(node).map(async (svc) => {
      const part = state.parts[svc.name];
      const alive = part !== undefined && isAlive(part.pid);
      const healthy = alive && (await svc.ready(ctx).catch(() => false));
      return { name: svc.name, version: svc.version, address: part?.address ?? '-', pid: part?.pid ?? 0, healthy };
    }),
  );
}

export const isUp = (): boolean =>
  existsSync(stackPaths.env) && (readState() ? livePids(readState()!).length > 0 : false);
