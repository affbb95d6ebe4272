import { ARTIFACTS, type Artifact, isBuilt } from './artifacts.ts';
import { BASE_IMAGES } from './node/base-images.ts';
import { ensureSystemPackages } from './system.ts';

export interface BuildTiming {
  name: string;
  version: string;
  seconds: number;
  cached: boolean;
}

const say = (msg: string) => process.stderr.write(`${msg}\n`);

async function buildOne(a: Artifact): Promise<BuildTiming> {
  if (isBuilt(a)) return { name: a.name, version: a.version, seconds: 0, cached: true };
  const started = Date.now();
  say(`[build] ${a.name} ${a.version}: from ${a.origin}`);
  await a.build((msg) => say(`[build] ${a.name}: ${msg}, ${Math.round((Date.now() - started) / 1000)} s`));
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  say(`[build] ${a.name} ${a.version}: done in ${seconds} s`);
  return { name: a.name, version: a.version, seconds, cached: false };
}

/** What only the real node needs: without it (`--no-node`, or a machine that cannot) these are not built. */
const NODE_ONLY: Artifact[] = [ARTIFACTS.kubelet, ARTIFACTS.containerd, BASE_IMAGES.nodeBase, BASE_IMAGES.pause];

/**
 * Builds what is missing from the cache. Compiles run one at a time (two cores), downloads beside them.
 * A failed or interrupted build leaves no half-made folder; the Go and Maven caches make the retry resume.
 */
export async function buildAll(opts: { node?: boolean } = {}): Promise<BuildTiming[]> {
  const started = Date.now();
  const system = await ensureSystemPackages({ node: opts.node });
  const wanted = [...Object.values(ARTIFACTS), BASE_IMAGES.nodeBase, BASE_IMAGES.pause].filter(
    (a) => opts.node || !NODE_ONLY.includes(a),
  );
  const lane = async (kind: Artifact['lane']) => {
    const out: BuildTiming[] = [];
    for (const a of wanted.filter((w) => w.lane === kind)) out.push(await buildOne(a));
    return out;
  };
  const timings = [...system, ...(await Promise.all([lane('cpu'), lane('io')])).flat()];
  const built = timings.filter((t) => !t.cached);
  if (built.length > 0) {
    say(
      `[build] built ${built.map((t) => `${t.name} ${t.seconds} s`).join(', ')}; ` +
        `total ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }
  return timings;
}
