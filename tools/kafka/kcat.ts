// The Kafka tests check the documented wire format with a generic client, Debian's kcat. A fresh
// machine of this kind lacks it; as root with apt-get, the test setup installs it.
import { spawnSync } from 'node:child_process';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export function ensureKcat(): void {
  if (has('kcat')) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    console.error('kcat is missing: install it (Debian: apt-get install kcat) for the wire-format test');
    return;
  }
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', 'kcat'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (install()) return;
  spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
  if (!install()) console.error('kcat could not be installed with apt-get; the wire-format test will fail');
}
