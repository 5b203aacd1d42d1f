// Headless Chromium for the terminal's browser tests and benchmark: Debian's `chromium` package,
// driven by playwright-core (which downloads no browser of its own). Installed with apt-get when
// missing, so a fresh machine of this kind runs the tests with no manual step.

import { aptInstall } from '../apt.js';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function found(): string | null {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The Chromium executable, installing Debian's package first when there is none (needs root and apt). */
export function chromiumPath(): string {
  const have = found();
  if (have !== null) return have;
  if (process.getuid?.() !== 0)
    throw new Error(
      'Chromium is missing and this user cannot install it: apt-get install chromium (or set CHROMIUM_PATH)',
    );
  aptInstall('chromium');
  const installed = found();
  if (installed === null) throw new Error('apt-get install chromium ran but no chromium executable was found');
  return installed;
}

/** Flags for a headless Chromium in a container (no sandbox as root, no GPU). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];
