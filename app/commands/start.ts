// `riskline start`: load configuration, start the roles, stop cleanly on SIGINT/SIGTERM.
import { loadConfig } from '../../config/load.js';
import { startRiskline } from '../compose.js';
import { exitWith } from '../exit.js';
import { createLogger } from '../logger.js';

export interface ServerFlags {
  config?: string;
  host?: string;
  port?: string;
  kafka?: string;
  database?: string;
  roles?: string;
  backend?: string;
  logLevel?: string;
}

export function loadFromFlags(opts: ServerFlags) {
  const config = loadConfig({
    configFile: opts.config,
    flags: {
      host: opts.host,
      port: opts.port,
      kafka: opts.kafka,
      database: opts.database,
      roles: opts.roles,
      backend: opts.backend,
    },
    env: process.env,
  });
  // commander has already checked the level against the allowed names.
  if (opts.logLevel) config.log.level = opts.logLevel as typeof config.log.level;
  return config;
}

export async function start(opts: ServerFlags & { record?: string }): Promise<void> {
  let running: Awaited<ReturnType<typeof startRiskline>>;
  const config = (() => {
    try {
      return loadFromFlags(opts);
    } catch (err) {
      return exitWith(err);
    }
  })();
  const logger = createLogger(config.log.level);
  try {
    running = await startRiskline({ config, logger, record: opts.record ?? null });
  } catch (err) {
    logger.flush();
    return exitWith(err);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await running.close();
      logger.info('stopped');
      logger.flush();
      clearTimeout(force);
      process.exitCode = 0;
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
