// Finds and loads a compiled addon (build/Release/<name>.node) from the repository root, whether
// this module runs from source (native/) or compiled (dist/native/). Failing to load is an answer
// with a reason, never an exception, so the backend loader can fall back and say why.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The addon's path: the first build/Release/<name>.node found going up from this module (source or dist). */
export function addonPath(name: string): string | null {
  let dir = here;
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'build', 'Release', `${name}.node`);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return null;
}

export function loadAddon<T>(name: string): { addon: T; path: string } | { reason: string } {
  const path = addonPath(name);
  if (path === null) return { reason: `addon not built (no build/Release/${name}.node; npm ci builds it)` };
  try {
    return { addon: require(path) as T, path };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { reason: `addon did not load (${message.split('\n')[0]})` };
  }
}
