// `riskline replay FILE`: publish a file's ticks and executions through the pipeline (the engine
// serves it as it would a live market; the gateway too when a port is asked for), or with --verify
// check a recording.

import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readJsonFile } from '../../config/issues.js';
import type { RisklineConfig } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';
import type { ReplayStats } from '../../feeds/publish.js';
import { checkSpeed } from '../../feeds/replay.js';
import { loadRiskBackend } from '../../native/loader.js';
import { engineOptions, startRiskline, type Running } from '../compose.js';
import { exitWith } from '../exit.js';
import { createLogger, type CommandLogger } from '../logger.js';
import { verifyRecording } from '../verify.js';
import { loadFromFlags, type ServerFlags } from './start.js';

/** How long the engine may take in nothing new before replay stops waiting for it. */
const STALL_MS = 30_000;

export async function replayCommand(
  file: string,
  opts: ServerFlags & { speed: string; verify?: boolean },
): Promise<void> {
  let held: CommandLogger | undefined;
  try {
    const config = loadFromFlags(opts);
    if (opts.verify) return await verify(file, config);
    const speed = opts.speed === 'max' ? Infinity : checkSpeed(Number(opts.speed));
    config.roles = replayRoles(config, opts);
    // Held until the whole file has been read: a bad line (exit 2) is then the only line on stderr.
    const log = await createLogger({ level: config.log.level, hold: true });
    held = log;
    const running = await startRiskline({
      config,
      logger: log.logger,
      replay: { file, speed },
      // Its counters are read below, and a replay has nobody waiting on fan-out.
      engineThread: false,
      opsServer: config.roles.includes('gateway'),
    });
    const stop = () => {
      log.release(); // interrupted: what was held is context, not noise
      void running.close().then(() => process.exit(130));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const sent = (await running.feed!.done)!;
    log.release();
    await drained(running, sent);
    await running.close();
    const e = running.engine?.engine.stats;
    process.stdout.write(
      `replayed ${sent.ticks} ticks and ${sent.executions} executions; engine applied ${e?.ticks ?? 0} ticks, ` +
        `${e?.executions ?? 0} executions, published ${e?.frames ?? 0} frames; dead-lettered ${running.engine?.stats().dlq ?? 0}\n`,
    );
  } catch (err) {
    exitWith(err, held);
  }
}

async function verify(file: string, config: RisklineConfig): Promise<void> {
  const { backend } = loadRiskBackend(config.risk.backend, { threads: config.risk.threads ?? undefined });
  // The recording's own `start` record sets the valuation time.
  const r = await verifyRecording(file, engineOptions(config, backend, NaN));
  if (r.recorded === 0)
    throw new RisklineError(
      'REPLAY_FILE',
      `${file}: no frame digests to verify (record one with \`riskline start --record FILE\`)`,
    );
  if (r.mismatch) {
    throw new RisklineError(
      'REPLAY_MISMATCH',
      `${file}: frame ${r.mismatch.index + 1} differs: recorded ${r.mismatch.expected}, replayed ${r.mismatch.actual}`,
    );
  }
  process.stdout.write(`verified: ${r.frames} frames from ${r.inputs} inputs match the recording\n`);
}

/**
 * Replay needs the feed and the engine; the gateway (and so a port) only when a port is asked for
 * (--port, RISKLINE_PORT or the --config file), so a replay runs beside `riskline start`. Roles
 * named explicitly are taken as they are.
 */
export function replayRoles(
  config: RisklineConfig,
  opts: ServerFlags,
  env: NodeJS.ProcessEnv = process.env,
): RisklineConfig['roles'] {
  const file = (opts.config === undefined ? {} : readJsonFile(resolve(opts.config))) as {
    roles?: unknown;
    server?: { port?: unknown };
  };
  const asked = (flag: unknown, name: string, inFile: unknown) =>
    flag !== undefined || (env[name] ?? '') !== '' || inFile !== undefined;
  const asIs = asked(opts.roles, 'RISKLINE_ROLES', file.roles) || asked(opts.port, 'RISKLINE_PORT', file.server?.port);
  const roles = asIs ? config.roles : config.roles.filter((r) => r !== 'gateway');
  if (!roles.includes('feed'))
    throw new RisklineError(
      'USAGE',
      `replay: --roles must include feed, which publishes the file (got ${roles.join(',')})`,
    );
  return roles;
}

/**
 * Waits until the engine has taken in every input the feed published: applied, stale, a duplicate
 * or dead-lettered. Fails when nothing more arrives for STALL_MS.
 */
async function drained(running: Running, sent: ReplayStats, stallMs = STALL_MS): Promise<void> {
  const role = running.engine;
  if (role === null) return;
  const want = sent.ticks + sent.executions;
  const taken = () => role.engine.stats.inputSeq + role.stats().dlq;
  let last = taken();
  let movedAt = Date.now();
  while (last < want) {
    await sleep(5);
    const n = taken();
    if (n !== last) [last, movedAt] = [n, Date.now()];
    else if (Date.now() - movedAt > stallMs)
      throw new RisklineError(
        'UNAVAILABLE',
        `replay: the engine took in ${n} of the ${want} inputs the feed published and nothing more for ` +
          `${stallMs / 1000} s (over Kafka, engines elsewhere in the group may own some portfolios)`,
      );
  }
}
