// `riskline start`: load configuration, start the roles, say where to connect, stop cleanly on
// SIGINT/SIGTERM.
import type { Logger } from 'pino';
import { loadConfig } from '../../config/load.js';
import type { RisklineConfig } from '../../config/schema.js';
import { startRiskline, type Running } from '../compose.js';
import { exitWith } from '../exit.js';
import { createLogger } from '../logger.js';
import { announce, bannerOf } from './banner.js';

export interface ServerFlags {
  config?: string;
  host?: string;
  port?: string;
  kafka?: string;
  database?: string;
  roles?: string;
  backend?: string;
  store?: string;
  logLevel?: string;
}

export function loadFromFlags(opts: ServerFlags): RisklineConfig {
  const config = loadConfig({
    configFile: opts.config,
    flags: {
      host: opts.host,
      port: opts.port,
      kafka: opts.kafka,
      database: opts.database,
      roles: opts.roles,
      backend: opts.backend,
      store: opts.store,
    },
    env: process.env,
  });
  // commander has already checked the level against the allowed names.
  if (opts.logLevel) config.log.level = opts.logLevel as typeof config.log.level;
  return config;
}

export async function start(opts: ServerFlags & { record?: string }): Promise<void> {
  let config: RisklineConfig;
  try {
    config = loadFromFlags(opts);
  } catch (err) {
    return exitWith(err);
  }
  // Start-up lines are held until the roles run: a configuration error found on the way (exit 2)
  // is then the only line on stderr.
  const log = await createLogger({ level: config.log.level, hold: true });
  // One listener per signal for the whole run: swapping listeners once started would drop a signal
  // the OS delivered but the event loop had not yet dispatched (the process then ignored its stop).
  // While starting, a stop is remembered (a takeover can take seconds) and honoured once started.
  let early: string | null = null;
  let onSignal = (signal: string) => {
    if (early !== null) return;
    early = signal;
    // A start held up by an absent cluster must not hold the stop: nothing it did is committed yet.
    setTimeout(() => {
      log.release();
      log.logger.warn({ signal }, 'stopped while starting: the bus did not answer in time');
      log.logger.flush(() => process.exit(0));
    }, 2 * config.kafka.shutdownTimeoutMs).unref();
  };
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = () => onSignal(signal);
    process.on(signal, listener);
    return () => process.off(signal, listener);
  });
  let running: Running;
  try {
    running = await startRiskline({ config, logger: log.logger, record: opts.record ?? null });
  } catch (err) {
    listeners.forEach((off) => off());
    return exitWith(err, log);
  }
  log.release();
  announce(log, bannerOf(config, running, opts.record ?? null), config.log.level);
  const stop = stopper(log.logger, running);
  onSignal = (signal) => {
    // A second signal meets the default action (the process ends at once), as a second Ctrl-C should.
    listeners.forEach((off) => off());
    void stop(signal);
  };
  if (early !== null) onSignal(early);
}

/** Stops the roles once (bounded when the bus is away), then exits with how it went. */
function stopper(logger: Logger, running: Running): (signal: string) => Promise<void> {
  let stopping = false;
  return async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      // Bounded by kafka.shutdownTimeoutMs (twice: leaving groups, then flushing) when the bus is away.
      await running.close();
      logger.info('stopped');
      process.exitCode = 0;
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exitCode = 1;
    }
    // Retry timers of an unreachable cluster must not keep the process alive after a stop.
    logger.flush(() => process.exit());
  };
}
