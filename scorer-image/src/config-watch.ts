import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';
import { readScorerConfig, type ScorerConfig } from './config.ts';

/**
 * Holds the current config and re-reads the file on change: fs.watch on its folder (a ConfigMap swaps a symlink)
 * plus a poll as fallback. A bad file or a different model version is refused and the previous config kept.
 */
export function watchConfig(
  path: string,
  onError: (err: Error) => void,
  pollMs = 1_000,
): { current(): ScorerConfig; close(): void } {
  let config = readScorerConfig(path);
  const reload = () => {
    try {
      const next = readScorerConfig(path);
      if (next.model.version !== config.model.version || next.model.sha256 !== config.model.sha256) {
        throw new Error(
          `config changes the model (${config.model.version} -> ${next.model.version}); that needs a new Deployment`,
        );
      }
      config = next;
    } catch (err) {
      onError(err as Error);
    }
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), () => reload());
  } catch {
    watcher = undefined;
  }
  const timer = setInterval(reload, pollMs);
  timer.unref();
  return {
    current: () => config,
    close() {
      clearInterval(timer);
      watcher?.close();
    },
  };
}
