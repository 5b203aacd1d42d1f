// A Python virtual environment for tests that run a documented Python client: created under
// .cache/python (git-ignored) with the pinned wheels of tools/python/requirements.txt, once; later
// calls reuse it while the requirements are unchanged. Missing python3, venv or pip fail loudly.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this module whether it runs as .ts or from dist/. */
function repoRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir))
    if (existsSync(path.join(dir, 'tools', 'python', 'requirements.txt'))) return dir;
  throw new Error(`cannot find tools/python/requirements.txt above ${start}`);
}

const ROOT = repoRoot();
const REQUIREMENTS = path.join(ROOT, 'tools', 'python', 'requirements.txt');
export const VENV_DIR = path.join(ROOT, '.cache', 'python', 'venv');
const PYTHON = path.join(VENV_DIR, 'bin', 'python');
/** Holds the requirements the environment was built from: a change rebuilds it. */
const STAMP = path.join(VENV_DIR, 'riskline-requirements.txt');
/** Held (a directory: mkdir is atomic) while one process builds the environment; tap runs test files in parallel. */
const LOCK = path.join(ROOT, '.cache', 'python', 'venv.lock');
/** A lock older than the longest build (venv 2 min + pip 5 min) was left by a killed process. */
const STALE_LOCK_MS = 10 * 60_000;

function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve();
      const tail = `${stdout}${stderr}`.trim().split('\n').slice(-15).join('\n');
      const why = `${cmd} ${args.join(' ')} failed (${err.message.split('\n')[0]})`;
      reject(new Error(tail ? `${why}:\n${tail}` : why));
    });
  });
}

/**
 * The virtual environment's python, with confluent-kafka and msgpack installed. Needs python3
 * (3.11 in CI) with its venv module, and pip reaching a package index; throws saying which is missing.
 */
export async function pythonWithClients(): Promise<string> {
  const wanted = readFileSync(REQUIREMENTS, 'utf8');
  const built = () => existsSync(PYTHON) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted;
  if (built()) return PYTHON;
  // Two test files asking at once must not build it twice over each other (pip fails mid-install).
  await lock();
  try {
    if (!built()) await build(wanted);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  return PYTHON;
}

/** Waits for the build lock and takes it. */
async function lock(): Promise<void> {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (const started = Date.now(); ;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() - started > STALE_LOCK_MS)
      throw new Error(
        `waited ${STALE_LOCK_MS / 60_000} min for ${LOCK}: another process is building the Python environment`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function build(wanted: string): Promise<void> {
  rmSync(VENV_DIR, { recursive: true, force: true });
  await run('python3', ['--version'], 10_000).catch((err: Error) => {
    throw new Error(`python3 is needed for the Python client test and was not found: ${err.message}`);
  });
  await run('python3', ['-m', 'venv', VENV_DIR], 120_000).catch((err: Error) => {
    throw new Error(`python3 -m venv failed (Debian: apt-get install python3-venv): ${err.message}`);
  });
  const pip = ['-m', 'pip', 'install', '--quiet', '--only-binary=:all:', '-r', REQUIREMENTS];
  await run(PYTHON, pip, 300_000);
  writeFileSync(STAMP, wanted);
}
