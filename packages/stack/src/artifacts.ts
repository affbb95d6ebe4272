import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, REPO_ROOT } from './paths.ts';
import { run } from './process.ts';
import { VERSIONS } from './versions.ts';

/** Something built or downloaded once into the cache, outside the repo, keyed by version. */
export interface Artifact {
  name: string;
  version: string;
  origin: string;
  /** Network-bound work (downloads) may overlap CPU-bound work (compiles). */
  lane: 'cpu' | 'io';
  dir: string;
  build(progress: (msg: string) => void): Promise<void>;
}

const GO_DIR = join(CACHE_DIR, 'go');
const K8S_MODULE = join(REPO_ROOT, 'packages/stack/go/kubernetes');
const ETCD_MODULE = join(REPO_ROOT, 'packages/stack/go/etcd');
const KAFKA_POM = join(REPO_ROOT, 'packages/stack/kafka');

export const artifactDir = (name: string, version: string): string => join(CACHE_DIR, 'parts', `${name}-${version}`);
export const isBuilt = (a: Artifact): boolean => existsSync(join(a.dir, '.complete'));

function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(GO_DIR, 'mod'),
    GOCACHE: join(GO_DIR, 'build'),
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOFLAGS: '',
    ...extra,
  };
}

/** Builds into a scratch folder and renames it into place, so an interrupted build leaves nothing half-made. */
export async function intoCache(dir: string, make: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await make(tmp);
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

/** `go build -v` names each package it compiles: count them so a long cold build shows it is moving. */
function compileCounter(progress: (msg: string) => void) {
  let compiled = 0;
  let last = Date.now();
  return (line: string) => {
    if (!line.startsWith('go: ')) compiled++;
    if (Date.now() - last > 15_000) {
      last = Date.now();
      progress(`${compiled} packages compiled`);
    }
  };
}

/** A module whose go.mod has replace directives cannot be `go install`ed: build it from our wrapper module. */
function wrapperBuild(
  name: string,
  version: string,
  origin: string,
  moduleDir: string,
  targets: Record<string, string>,
  ldflags: string,
): Artifact {
  const dir = artifactDir(name, version);
  return {
    name,
    version,
    origin,
    lane: 'cpu',
    dir,
    build: (progress) =>
      intoCache(dir, async (tmp) => {
        const src = join(CACHE_DIR, 'src', `${name}-${version}`);
        mkdirSync(src, { recursive: true });
        for (const f of ['go.mod', 'go.sum', 'main.go']) {
          if (existsSync(join(moduleDir, f))) cpSync(join(moduleDir, f), join(src, f));
        }
        const onLine = compileCounter(progress);
        for (const [binary, pkg] of Object.entries(targets)) {
          await run('go', ['build', '-v', '-mod=mod', '-ldflags', ldflags, '-o', join(tmp, binary), pkg], {
            cwd: src,
            env: goEnv(),
            onLine,
          });
        }
      }),
  };
}

function goInstall(
  name: string,
  version: string,
  pkgs: string | string[],
  opts: { after?: (tmp: string) => void; tags?: string } = {},
): Artifact {
  const dir = artifactDir(name, version);
  const list = typeof pkgs === 'string' ? [pkgs] : pkgs;
  const tags = opts.tags ? ['-tags', opts.tags] : [];
  return {
    name,
    version,
    origin: `Go module proxy: ${list.join(', ')}@${version}`,
    lane: 'cpu',
    dir,
    build: (progress) =>
      intoCache(dir, async (tmp) => {
        await run('go', ['install', '-v', ...tags, '-ldflags', '-s -w', ...list.map((p) => `${p}@${version}`)], {
          env: goEnv({ GOBIN: tmp }),
          onLine: compileCounter(progress),
        });
        opts.after?.(tmp);
      }),
  };
}

const k8sVersion = VERSIONS.kubernetes;
const [, major, minor] = /^v(\d+)\.(\d+)/.exec(k8sVersion) ?? [];
const k8sLdflags = [
  '-s -w',
  `-X k8s.io/component-base/version.gitVersion=${k8sVersion}`,
  `-X k8s.io/component-base/version.gitMajor=${major}`,
  `-X k8s.io/component-base/version.gitMinor=${minor}`,
].join(' ');

/** kwok's standalone binary needs its stage configs: the fast node and pod lifecycles, with node leases. */
function writeKwokStages(tmp: string): void {
  const stages = join(CACHE_DIR, 'go', 'mod', `sigs.k8s.io/kwok@${VERSIONS.kwok}`, 'kustomize', 'stage');
  const files = ['node/fast', 'node/heartbeat-with-lease', 'pod/fast'].flatMap((d) =>
    ['node-initialize.yaml', 'node-heartbeat-with-lease.yaml', 'pod-ready.yaml', 'pod-complete.yaml', 'pod-delete.yaml']
      .map((f) => join(stages, d, f))
      .filter(existsSync),
  );
  if (files.length === 0) throw new Error(`kwok stage configs not found under ${stages}`);
  writeFileSync(join(tmp, 'stages.yaml'), files.map((f) => readFileSync(f, 'utf8').trim()).join('\n---\n'));
}

export const ARTIFACTS = {
  kubernetes: wrapperBuild(
    'kubernetes',
    k8sVersion,
    `Go module proxy: k8s.io/kubernetes@${k8sVersion} (staging modules replaced)`,
    K8S_MODULE,
    {
      'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
      'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
      'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
      kubectl: 'k8s.io/kubernetes/cmd/kubectl',
    },
    k8sLdflags,
  ),
  // The real node's kubelet: the same wrapper module and ldflags as the control plane, in a folder of its own so
  // that adding it did not invalidate the control plane's cache.
  kubelet: wrapperBuild(
    'kubelet',
    k8sVersion,
    `Go module proxy: k8s.io/kubernetes@${k8sVersion} (staging modules replaced)`,
    K8S_MODULE,
    { kubelet: 'k8s.io/kubernetes/cmd/kubelet' },
    k8sLdflags,
  ),
  containerd: goInstall(
    'containerd',
    VERSIONS.containerd,
    ['containerd', 'ctr', 'containerd-shim-runc-v2'].map((c) => `github.com/containerd/containerd/v2/cmd/${c}`),
    { tags: 'no_btrfs no_devmapper no_zfs' },
  ),
  etcd: wrapperBuild(
    'etcd',
    VERSIONS.etcd,
    `Go module proxy: go.etcd.io/etcd/server/v3@${VERSIONS.etcd}`,
    ETCD_MODULE,
    { etcd: '.' },
    '-s -w',
  ),
  kwok: goInstall('kwok', VERSIONS.kwok, 'sigs.k8s.io/kwok/cmd/kwok', { after: writeKwokStages }),
  versitygw: goInstall('versitygw', VERSIONS.versitygw, 'github.com/versity/versitygw/cmd/versitygw'),
  helm: goInstall('helm', VERSIONS.helm, 'helm.sh/helm/v4/cmd/helm'),
  k6: goInstall('k6', VERSIONS.k6, 'go.k6.io/k6'),
  kafka: {
    name: 'kafka',
    version: VERSIONS.kafka,
    origin: `Maven Central: org.apache.kafka:kafka_2.13:${VERSIONS.kafka}`,
    lane: 'io',
    dir: artifactDir('kafka', VERSIONS.kafka),
    build: () =>
      intoCache(artifactDir('kafka', VERSIONS.kafka), async (tmp) => {
        await run('mvn', [
          '-q',
          '-B',
          '-f',
          join(KAFKA_POM, 'pom.xml'),
          'dependency:copy-dependencies',
          `-DoutputDirectory=${join(tmp, 'libs')}`,
          '-DincludeScope=runtime',
          `-Dmaven.repo.local=${join(CACHE_DIR, 'm2')}`,
        ]);
        cpSync(join(KAFKA_POM, 'log4j2.properties'), join(tmp, 'log4j2.properties'));
      }),
  },
} satisfies Record<string, Artifact>;

export type ArtifactName = keyof typeof ARTIFACTS;
