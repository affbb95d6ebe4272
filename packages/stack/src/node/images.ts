import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CACHE_DIR, REPO_ROOT } from '../paths.ts';
import { run } from '../process.ts';
import { BASE_IMAGES, loadBaseImages } from './base-images.ts';
import { buildImage, exportImage } from './buildah.ts';
import { ctr } from './ctr.ts';
import type { NodeTopology } from './topology.ts';

/** One of the project's images, built from its Dockerfile, as an OCI archive containerd can import. */
export interface ProjectImage {
  component?: string;
  ref: string;
  archive: string;
  /** Environment variable naming the image, e.g. SCORER_IMAGE. */
  envName?: string;
}

/** The components with an image: a folder at the top of the repo holding a Dockerfile. */
export const IMAGE_COMPONENTS = ['scorer-image', 'api-image', 'archiver-image', 'operator'];
const IMAGES_DIR = join(CACHE_DIR, 'images');
const CONTEXT_SCRIPT = join(REPO_ROOT, 'packages/stack/src/image-context.ts');

const shortName = (component: string) => component.replace(/-image$/, '');
export const imageRef = (component: string) => `localhost/fraud-operator/${shortName(component)}:dev`;
export const imageEnvName = (component: string) => `${shortName(component).toUpperCase()}_IMAGE`;

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => keep(f) && statSync(f).isFile())
    .sort();
}

const notTest = (f: string) => !/\.test\.ts$|[/\\](test|\.image|node_modules)[/\\]/.test(f);

/**
 * What an image is made from, hashed without copying anything: its Dockerfile, the component's and the shared
 * packages' sources, the lock file (for node_modules), the context script and the base image. A change to any of
 * them rebuilds the image; otherwise the cached archive is used.
 */
export function imageInputsHash(component: string): string {
  const hash = createHash('sha256');
  hash.update(`${BASE_IMAGES.nodeBase.version}\n`);
  const files = [
    join(REPO_ROOT, component, 'Dockerfile'),
    join(REPO_ROOT, component, 'package.json'),
    join(REPO_ROOT, 'package-lock.json'),
    CONTEXT_SCRIPT,
    ...filesUnder(join(REPO_ROOT, component, 'src'), notTest),
    ...readdirSync(join(REPO_ROOT, 'packages')).flatMap((p) => [
      ...filesUnder(join(REPO_ROOT, 'packages', p, 'src'), notTest),
      ...filesUnder(join(REPO_ROOT, 'packages', p), (f) => f.endsWith('/package.json') && !f.includes('node_modules')),
    ]),
  ];
  for (const f of files) {
    if (!existsSync(f)) continue;
    hash.update(`${relative(REPO_ROOT, f)}\n`);
    hash.update(readFileSync(f));
  }
  return hash.digest('hex').slice(0, 16);
}

export const imageComponents = (): string[] =>
  IMAGE_COMPONENTS.filter((c) => existsSync(join(REPO_ROOT, c, 'Dockerfile')));

/**
 * Builds one component's image when its inputs changed: the shared context step (image-context.ts), then
 * `buildah bud` offline with the repo root as context, then an OCI archive in the cache.
 */
export async function ensureProjectImage(component: string, say: (m: string) => void): Promise<ProjectImage> {
  const ref = imageRef(component);
  const archive = join(IMAGES_DIR, `${shortName(component)}-${imageInputsHash(component)}.oci.tar`);
  const image = { component, ref, archive, envName: imageEnvName(component) };
  if (existsSync(archive)) return image;
  const started = Date.now();
  mkdirSync(IMAGES_DIR, { recursive: true });
  await loadBaseImages();
  await run(process.execPath, [CONTEXT_SCRIPT, component], { cwd: REPO_ROOT });
  await buildImage({ dockerfile: join(REPO_ROOT, component, 'Dockerfile'), context: REPO_ROOT, tag: ref });
  const tmp = `${archive}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  await exportImage(ref, tmp);
  const previous = readdirSync(IMAGES_DIR).filter(
    (f) => f.startsWith(`${shortName(component)}-`) && f.endsWith('.tar'),
  );
  for (const old of previous) rmSync(join(IMAGES_DIR, old), { force: true });
  renameSync(tmp, archive);
  say(`[images] ${component}: built ${ref} in ${Math.round((Date.now() - started) / 100) / 10} s`);
  return image;
}

/** Every component image; one that fails to build is reported and left out, so the stack still comes up. */
export async function ensureProjectImages(
  say: (m: string) => void,
): Promise<{ images: ProjectImage[]; failed: string[] }> {
  const images: ProjectImage[] = [];
  const failed: string[] = [];
  for (const component of imageComponents()) {
    try {
      images.push(await ensureProjectImage(component, say));
    } catch (err) {
      failed.push(component);
      say(`[images] ${component}: FAILED, left out of the node: ${(err as Error).message}`);
    }
  }
  return { images, failed };
}

/** Loads images into the node's containerd (its CRI namespace), where pods with imagePullPolicy Never find them. */
export async function importImages(t: NodeTopology, images: ProjectImage[]): Promise<void> {
  await Promise.all(images.map((image) => ctr(t, 'images', 'import', image.archive)));
}
