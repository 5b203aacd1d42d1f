// Debian packages the project's own scripts install when they are missing (Chromium for the browser
// tests, psql for the store benchmark): apt-get as root, never interactive.

import { execFileSync } from 'node:child_process';

/** Installs `pkg` with apt-get (needs root); throws with apt-get's error otherwise. */
export function aptInstall(pkg: string): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
    stdio: 'ignore',
    env,
    timeout: 600_000,
  });
}
