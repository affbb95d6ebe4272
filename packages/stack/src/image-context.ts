// Assembles <component>/.image/: everything that component's image needs, so the image build runs with no network.
// It holds the component's source, the workspace packages it imports (symlinked from node_modules as npm does, so
// Node strips their types: it refuses to inside node_modules), and the production dependency closure copied from
// this checkout's node_modules. `npx node packages/stack/src/image-context.ts <component>`, then build with the repo root as context.
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const component = process.argv[2];
if (!component || !existsSync(join(root, component, 'Dockerfile'))) {
  console.error('usage: image-context.ts <component>   (a folder with a Dockerfile, e.g. api-image)');
  process.exit(2);
}
const out = join(root, component, '.image');
const notTests = (src: string) => !/\.test\.ts$|[/\\](test|\.image)([/\\]|$)|test-helpers\.ts$/.test(src);

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Where `name` resolves from `fromDir`, as Node would: the nearest node_modules up the tree. */
function resolvePackage(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return undefined;
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const seen = new Set<string>();
const queue: string[] = [join(root, component)];
const workspaces: string[] = [];
while (queue.length > 0) {
  const dir = queue.shift()!;
  const m = manifest(dir);
  const deps = { ...m.dependencies, ...m.optionalDependencies };
  for (const name of Object.keys(deps)) {
    const linked = resolvePackage(name, dir);
    if (!linked) {
      if (m.optionalDependencies?.[name]) continue;
      throw new Error(`${name} (needed by ${m.name}) is not installed: run npm install first`);
    }
    if (seen.has(linked)) continue;
    seen.add(linked);
    const real = realpathSync(linked);
    if (lstatSync(linked).isSymbolicLink()) {
      // A workspace package: copy its source, link it from node_modules.
      workspaces.push(relative(root, real));
      mkdirSync(dirname(join(out, relative(root, linked))), { recursive: true });
      symlinkSync(relative(dirname(linked), real), join(out, relative(root, linked)));
      queue.push(real);
    } else {
      cpSync(linked, join(out, relative(root, linked)), {
        recursive: true,
        filter: (src) => src === linked || !src.startsWith(join(linked, 'node_modules')),
      });
      queue.push(linked);
    }
  }
}
for (const dir of [component, ...workspaces]) {
  cpSync(join(root, dir, 'package.json'), join(out, dir, 'package.json'));
  cpSync(join(root, dir, 'src'), join(out, dir, 'src'), { recursive: true, filter: notTests });
}
writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify({ name: `fraud-${component}`, private: true, type: 'module' }, null, 2)}\n`,
);
console.log(
  `${component} context: ${seen.size} packages (${workspaces.length} from the workspace) in ${relative(root, out)}`,
);
