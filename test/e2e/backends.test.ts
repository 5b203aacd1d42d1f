// `riskline start --backend NAME` runs the demo on each backend this machine has: the start-up log
// names the backend and why better ones were not taken, and risk frames carry every method with
// provenance naming that backend. (A backend the machine lacks is refused: test/e2e/cli.test.ts.)
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import t from 'tap';
import { loadRiskBackend, type BackendName } from '../../native/loader.js';
import { Client } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/app/cli.js');
const { KAFKA_BROKERS: _kafka, RISKLINE_JWT_SECRET: _secret, ...inherited } = process.env;
const env = { ...inherited, RISKLINE_LOG_LEVEL: 'info' };

/** Why a backend cannot run here, or null when it can. */
function unavailable(name: BackendName): string | null {
  try {
    loadRiskBackend(name);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

// Three demo start-ups, the ts one building its scenario sets on the event loop.
t.setTimeout(600_000);

for (const name of ['ts', 'cpu', 'gpujs'] as const) {
  const why = unavailable(name);
  t.test(`--backend ${name} runs the demo`, { skip: why ?? false, timeout: 280_000 }, async (t) => {
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--backend', name], { env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    t.teardown(() => void child.kill('SIGKILL'));
    const ready = await new Promise<Record<string, unknown>>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no ready line: ${err}`)), 120_000);
      const poll = setInterval(() => {
        const line = err.split('\n').find((l) => l.includes('"msg":"riskline ready') && l.endsWith('}'));
        if (line) {
          clearInterval(poll);
          clearTimeout(timer);
          res(JSON.parse(line) as Record<string, unknown>);
        }
      }, 50);
      void exited.then((code) => rej(new Error(`exited ${code}: ${err}`)));
    });
    const log = err.split('\n').find((l) => l.includes('"msg":"risk backend:'));
    t.match(log, new RegExp(`"backend":"${name}"`), 'the start-up log names the backend', { stderr: err });
    const c = await Client.connect(Number(new URL(ready.ws as string).port));
    c.send({ op: 'subscribe', id: 1, channels: ['risk:GLOBAL-MACRO'] });
    const frame = await c.next((m) => m.channel === 'risk:GLOBAL-MACRO' && m.type === 'snapshot', 30_000);
    const data = frame.data as {
      measures: { method: string; horizonDays: number; var: number }[];
      provenance: { backend: string; sets: { method: string }[] };
      stress: unknown[];
      components: unknown[];
    };
    t.same(
      [...new Set(data.measures.map((m) => m.method))].sort(),
      ['historical', 'monteCarlo', 'parametric'],
      'VaR and ES by every method',
    );
    t.ok(
      data.measures.every((m) => m.var > 0),
      'every VaR is a positive loss',
    );
    t.equal(data.provenance.backend, name, 'provenance names the backend');
    t.ok(data.stress.length >= 4 && data.components.length > 0, 'stress results and components');
    c.close();
    child.kill('SIGTERM');
    // A stop waits for a re-pricing in flight; gpu.js's (on this machine's CPU) can take a while.
    t.equal(await exited, 0, 'SIGTERM stops cleanly', { stderr: err, timeout: 120_000 });
  });
}
