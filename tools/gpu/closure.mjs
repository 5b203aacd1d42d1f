// The node_modules folders that tools/gpu/check.sh needs on the GPU machine: the runtime
// dependencies of package.json, tap, typescript and @types/node, with everything they depend on
// (hoisted folders by name; nested node_modules travel inside their parent). One path per line.
// Browser-GPU packages (gpu.js and its gl/webgpu binaries, ~110 MB) are left out: no test or
// benchmark that check.sh runs loads them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

// tap's peer @typescript/native-preview (TypeScript 7, 30 MB) is unused: its loader takes typescript 5's API.
const SKIP = new Set([
  'gpu.js',
  'gl',
  'webgpu',
  'headless-gl',
  '@typescript/native-preview',
  '@typescript/native-preview-linux-x64',
]);
const root = process.argv[2] ?? '.';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const queue = [...Object.keys(pkg.dependencies ?? {}), 'tap', 'typescript', '@types/node', 'node-addon-api'];
const seen = new Set();
while (queue.length > 0) {
  const name = queue.pop();
  if (seen.has(name) || SKIP.has(name)) continue;
  const manifest = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) continue; // nested under its dependant, or an optional one not installed
  seen.add(name);
  const m = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const deps of [m.dependencies, m.optionalDependencies, m.peerDependencies])
    for (const dep of Object.keys(deps ?? {})) queue.push(dep);
}
process.stdout.write(
  [...seen]
    .sort()
    .map((n) => `node_modules/${n}`)
    .join('\n') + '\n',
);
