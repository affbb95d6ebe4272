import { appendFileSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Artifact, artifactDir, intoCache } from '../artifacts.ts';
import { REPO_ROOT } from '../paths.ts';
import { run } from '../process.ts';
import { VERSIONS } from '../versions.ts';
import { buildImage, exportImage, loadImage } from './buildah.ts';

/** Local images of the node: the equivalent of Docker Hub's `node:24-bookworm-slim`, and the pods' pause image. */
export interface BaseImage extends Artifact {
  ref: string;
  archive: string;
}

const NODE_DIR = join(REPO_ROOT, 'node_modules', 'node');
const nodeVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(join(NODE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
};
/** The machine's own apt mirror (the first `URIs:` or `deb` line of its sources), or FRAUD_DEBIAN_MIRROR. */
function debianMirror(): string {
  if (process.env.FRAUD_DEBIAN_MIRROR) return process.env.FRAUD_DEBIAN_MIRROR;
  const files = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'].filter(existsSync);
  for (const f of files) {
    const m = /^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+)/m.exec(readFileSync(f, 'utf8'));
    if (m?.[1]) return m[1];
  }
  throw new Error('no Debian mirror in /etc/apt: set FRAUD_DEBIAN_MIRROR');
}
/** What a slim image leaves out: package lists and caches, documentation, translations. */
const PRUNED = [
  'var/cache/apt',
  'var/lib/apt/lists',
  'usr/share/doc',
  'usr/share/man',
  'usr/share/info',
  'usr/share/locale',
];

function baseImage(
  name: string,
  version: string,
  origin: string,
  ref: string,
  assemble: (ctx: string) => Promise<string>,
): BaseImage {
  const dir = artifactDir(name, version);
  const archive = join(dir, 'image.oci.tar');
  return {
    name,
    version,
    origin,
    lane: 'cpu',
    dir,
    ref,
    archive,
    build: () =>
      intoCache(dir, async (tmp) => {
        const ctx = join(tmp, 'context');
        const dockerfile = await assemble(ctx);
        await buildImage({ dockerfile, context: ctx, tag: ref });
        await exportImage(ref, join(tmp, 'image.oci.tar'));
        rmSync(ctx, { recursive: true, force: true });
      }),
  };
}

const nodeBase = baseImage(
  'node-base',
  `${VERSIONS.debian}-node${nodeVersion()}`,
  `debootstrap --variant=minbase ${VERSIONS.debian} from the machine's apt mirror, plus node_modules/node ${nodeVersion()}`,
  `docker.io/library/node:${nodeVersion().split('.')[0]}-${VERSIONS.debian}-slim`,
  async (ctx) => {
    const rootfs = join(ctx, 'rootfs');
    const nodeBin = join(NODE_DIR, 'bin', 'node');
    if (!existsSync(nodeBin)) throw new Error(`no Node binary at ${nodeBin}: run npm ci first`);
    await run('debootstrap', ['--variant=minbase', VERSIONS.debian, rootfs, debianMirror()]);
    for (const d of PRUNED) {
      rmSync(join(rootfs, d), { recursive: true, force: true });
    }
    // The official image's `node` user (uid 1000), so Dockerfiles that say `USER node` work too.
    appendFileSync(join(rootfs, 'etc/passwd'), 'node:x:1000:1000::/home/node:/bin/sh\n');
    appendFileSync(join(rootfs, 'etc/group'), 'node:x:1000:\n');
    await run('tar', ['--numeric-owner', '-C', rootfs, '-cf', join(ctx, 'rootfs.tar'), '.']);
    rmSync(rootfs, { recursive: true, force: true });
    copyFileSync(nodeBin, join(ctx, 'node'));
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [
        'FROM scratch',
        'ADD rootfs.tar /',
        'COPY node /usr/local/bin/node',
        `ENV NODE_VERSION=${nodeVersion()} PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        'RUN ["/usr/local/bin/node", "--version"]',
        'CMD ["node"]',
        '',
      ].join('\n'),
    );
    return join(ctx, 'Dockerfile');
  },
);

const pause = baseImage(
  'pause',
  'busybox-1',
  "Debian's busybox-static: a shell that sleeps until it is told to stop",
  'localhost/fraud-stack/pause:busybox-1',
  async (ctx) => {
    await run('mkdir', ['-p', ctx]);
    copyFileSync('/bin/busybox', join(ctx, 'busybox'));
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY busybox /bin/busybox',
        'USER 65535:65535',
        `ENTRYPOINT ["/bin/busybox", "sh", "-c", "trap 'exit 0' TERM INT; while :; do /bin/busybox sleep 3600 & wait $!; done"]`,
        '',
      ].join('\n'),
    );
    return join(ctx, 'Dockerfile');
  },
);

export const BASE_IMAGES = { nodeBase, pause };

/** Puts the base images back into buildah's storage from the cache when it lacks them. */
export async function loadBaseImages(): Promise<void> {
  for (const image of Object.values(BASE_IMAGES)) await loadImage(image.ref, image.archive);
}
