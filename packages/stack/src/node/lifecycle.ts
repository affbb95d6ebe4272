import { existsSync } from 'node:fs';
import { stopGroup } from '../process.ts';
import type { Service, StackContext } from '../services.ts';
import type { StackState } from '../state.ts';
import { removeNetns } from './netns.ts';
import { removeCgroups, removeContainers, removeNodeFiles } from './teardown.ts';
import { type NodeTopology, netnsPath } from './topology.ts';

/** A service's command, placed in the namespace it belongs to when the stack has a node. */
export function placeCommand(svc: Service, ctx: StackContext, c: ReturnType<Service['command']>) {
  if (!ctx.node || svc.namespace === 'host') return c;
  const enter =
    svc.namespace === 'node'
      ? [`--target=${ctx.pids['node-namespace']}`, '--mount', '--net']
      : [`--net=${netnsPath(ctx.node)}`];
  return { cmd: 'nsenter', args: [...enter, '--', c.cmd, ...c.args], env: c.env };
}

/**
 * Stops the node in the order that leaves nothing behind: the kubelet (so it restarts nothing), every pod container
 * through containerd, then containerd. The parts it stopped are removed from `state.parts`.
 */
export async function stopNode(state: StackState, t: NodeTopology, say: (m: string) => void): Promise<string[]> {
  const stopped: string[] = [];
  const stop = async (name: string) => {
    const part = state.parts[name];
    if (!part) return;
    await stopGroup(part.pid);
    delete state.parts[name];
    stopped.push(name);
    say(`[down] ${name} stopped`);
  };
  await stop('kubelet');
  if (state.parts.containerd) {
    const removed = await removeContainers(t);
    if (removed > 0) say(`[down] ${removed} pod containers removed`);
  }
  await stop('containerd');
  return stopped;
}

/** After every process is gone: the node's cgroups (deepest first), its network namespace and its files. */
export async function cleanUpNode(t: NodeTopology, say: (m: string) => void): Promise<void> {
  const cgroups = await removeCgroups(t);
  if (cgroups.length > 0) say(`[down] cgroups ${t.cgroupRoot} removed from ${cgroups.length} hierarchies`);
  if (await removeNetns(t)) say(`[down] network namespace ${t.netns} removed`);
  if (existsSync(t.dirs.root) || existsSync(t.dirs.relays)) removeNodeFiles(t);
}

/** The real node is on unless FRAUD_STACK_NODE=0 (or `--no-node`). */
export const nodeWanted = (): boolean => process.env.FRAUD_STACK_NODE !== '0';
export const nodeExists = (t: NodeTopology): boolean => existsSync(netnsPath(t));
