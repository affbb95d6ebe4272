import { join } from 'node:path';
import { CACHE_DIR } from '../paths.ts';
import { run } from '../process.ts';

/**
 * buildah with a storage of the stack's own (never the host's /var/lib/containers), runc as the runtime (buildah's
 * default crun 1.8 fails on these hybrid-cgroup machines), and never a registry or the network.
 */
const STORAGE = ['--root', join(CACHE_DIR, 'buildah', 'storage'), '--runroot', join(CACHE_DIR, 'buildah', 'run')];
const OFFLINE = ['--pull=never', '--network', 'none', '--runtime', '/usr/sbin/runc'];

export const buildah = (args: string[], opts: { cwd?: string } = {}) =>
  run('buildah', [...STORAGE, ...args], { cwd: opts.cwd, env: { ...process.env, BUILDAH_ISOLATION: 'oci' } });

export async function hasImage(ref: string): Promise<boolean> {
  try {
    await buildah(['inspect', '--type', 'image', ref]);
    return true;
  } catch {
    return false;
  }
}

/** `buildah bud` offline; the Dockerfile's FROM images must already be in the stack's storage. */
export async function buildImage(opts: { dockerfile: string; context: string; tag: string; layers?: boolean }) {
  await buildah(['bud', ...OFFLINE, '--layers=false', '-f', opts.dockerfile, '-t', opts.tag, opts.context]);
}

/** Writes an image as an OCI archive, the form containerd imports and the cache keeps. */
export async function exportImage(ref: string, archive: string): Promise<void> {
  await buildah(['push', '--quiet', ref, `oci-archive:${archive}:${ref}`]);
}

/** Makes an image from the cache available to Dockerfiles again (after the buildah storage was wiped, say). */
export async function loadImage(ref: string, archive: string): Promise<void> {
  if (await hasImage(ref)) return;
  await buildah(['pull', '--quiet', `oci-archive:${archive}`]);
  // The archive carries its reference; tag again in case buildah kept only the digest.
  if (!(await hasImage(ref))) throw new Error(`loading ${archive} into buildah did not yield ${ref}`);
}
