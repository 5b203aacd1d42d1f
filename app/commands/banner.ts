// What `riskline start` says once it runs: every address, the roles, the bus and the risk backend.
// On a terminal one block of text (a newcomer's first read); otherwise one structured log line.
import type { RisklineConfig } from '../../config/schema.js';
import { DEFAULT_WATCH_URL } from '../../config/values.js';
import { STREAM_PATH } from '../../gateways/protocol.js';
import { loadRiskBackend } from '../../native/loader.js';
import type { Running } from '../compose.js';
import type { CommandLogger } from '../logger.js';

export interface Banner {
  /** Addresses: ws and http null without the gateway role, health and metrics null without any HTTP server. */
  ws: string | null;
  http: string | null;
  health: string | null;
  metrics: string | null;
  roles: string[];
  bus: string;
  /** The risk backend, null without the engine role. */
  backend: string | null;
  record: string | null;
  /** A command that shows live frames, null without the gateway role. */
  watch: string | null;
  /** The gateway's server and how it identifies callers (null without the gateway role). */
  server: string | null;
  auth: string | null;
}

export function bannerOf(config: RisklineConfig, running: Running, record: string | null = null): Banner {
  const brokers = config.kafka.brokers;
  const bus = brokers ? `Kafka at ${brokers.join(',')}` : 'in process';
  // The same answer the engine role got: naming an unavailable backend has already failed.
  const risk = config.roles.includes('engine')
    ? loadRiskBackend(config.risk.backend, { threads: config.risk.threads ?? undefined })
    : null;
  const backend = risk ? `${risk.backend.name}: ${risk.note}` : null;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const gw = running.gateway;
  if (gw === null) {
    // Without the gateway the port serves /health, /ready and /metrics only.
    const ops = running.ops ? `http://${host}:${running.ops.port}` : null;
    return {
      ws: null,
      http: null,
      health: ops && `${ops}/health`,
      metrics: ops && `${ops}/metrics`,
      roles: config.roles,
      bus,
      backend,
      record,
      watch: null,
      server: null,
      auth: null,
    };
  }
  const http = `http://${host}:${gw.port}`;
  const ws = `ws://${host}:${gw.port}${STREAM_PATH}`;
  const portfolio = config.portfolios[0]?.id;
  const watch = portfolio
    ? `npx riskline watch positions:${portfolio}${ws === DEFAULT_WATCH_URL ? '' : ` --url ${ws}`}`
    : null;
  return {
    ws,
    http,
    health: `${http}/health`,
    metrics: `${http}/metrics`,
    roles: config.roles,
    bus,
    backend,
    record,
    watch,
    server: gw.server,
    auth: gw.auth.replace(/^auth: /, ''),
  };
}

export function bannerText(b: Banner): string {
  const rows: [string, string | null][] = [
    ['WebSocket', b.ws],
    ['HTTP', b.http],
    ['server', b.server],
    ['auth', b.auth],
    ['health', b.health],
    ['metrics', b.metrics],
    ['roles', b.roles.join(', ')],
    ['bus', b.bus],
    ['risk', b.backend],
    ['recording', b.record],
    ['try', b.watch],
    ['stop', 'Ctrl-C'],
  ];
  const lines = rows.filter(([, v]) => v !== null).map(([k, v]) => `  ${k.padEnd(10)} ${v}`);
  return `\nRiskline is running\n${lines.join('\n')}\n\n`;
}

/** One write of the whole block on a terminal (never interleaved with log lines); else one log line. */
export function announce(log: CommandLogger, b: Banner, level: string): void {
  if (log.pretty) {
    if (level !== 'silent') process.stderr.write(bannerText(b));
    return;
  }
  const where = b.ws ? `connect to ${b.ws}` : `roles ${b.roles.join(',')}`;
  log.logger.info({ ...b, watch: undefined }, `riskline ready: ${where}`);
}
