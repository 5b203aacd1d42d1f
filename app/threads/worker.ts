// The worker thread's side of ./host.ts: runs one role on the process's bus through a PortBus, with
// its own metrics registry (read by the main thread's /metrics) and its log lines sent to the main
// thread's logger.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { PortBus } from '../../streams/thread-bus.js';
import { ThreadRpc, type Handlers } from '../../streams/thread-rpc.js';
import { startEngine } from '../roles/engine-start.js';
import { localRiskQueries } from '../roles/risk-queries.js';
import type { RoleJob, WorkerData } from './host.js';

interface Started {
  /** The role's ops the main thread may call. */
  handlers: Handlers;
  close(): Promise<void>;
}

type Context = { bus: PortBus; registry: Registry; logger: pino.Logger };

const ROLES: Record<RoleJob['role'], (job: RoleJob, c: Context) => Promise<Started>> = {
  async engine(job, { bus, registry, logger }) {
    const role = await startEngine(job.start, bus, registry, logger);
    const queries = localRiskQueries(() => role);
    return {
      handlers: { whatIf: (p: string, i: string, q: number) => queries.whatIf(p, i, q) },
      close: () => role.close(),
    };
  },
};

function main(data: WorkerData & { port: MessagePort }): void {
  const handlers: Handlers = {};
  const rpc = new ThreadRpc(data.port, handlers);
  const logger = pino({ level: data.logLevel }, { write: (line: string) => rpc.push('log', line) });
  const registry = new Registry();
  let started: Started | null = null;
  let bus: PortBus | null = null;
  Object.assign(handlers, {
    start: async () => {
      bus = await PortBus.connect(rpc, handlers);
      started = await ROLES[data.role](data, { bus, registry, logger });
      Object.assign(handlers, started.handlers);
    },
    metrics: () => registry.metrics(),
    close: async () => {
      await started?.close();
      await bus?.close();
      // Nothing else keeps this thread alive: it ends once the port closes.
      setImmediate(() => rpc.close());
    },
  } satisfies Handlers);
}

if (parentPort && workerData) main(workerData as WorkerData & { port: MessagePort });
