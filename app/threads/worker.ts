// The worker thread's side of ./host.ts: runs its roles with its own metrics (read by the main
// thread's /metrics) and its log lines sent to the main thread's logger. `engine`: the engine role
// on the process's bus through a PortBus. `core`: the roles beside the gateway, composed as a
// process of their own would be (the engine on a thread of its own again), their bus served back.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { BusServer, PortBus } from '../../streams/thread-bus.js';
import { ThreadRpc, type Handlers } from '../../streams/thread-rpc.js';
import { topicSpecs } from '../../streams/topics.js';
import { startRiskline } from '../compose.js';
import { startEngine, type EngineStart } from '../roles/engine-start.js';
import { engineQueryHandlers, localRiskQueries, threadRiskQueries } from '../roles/risk-queries.js';
import type { CoreStart, RoleJob, ThreadStarted, WorkerData } from './host.js';

interface Started {
  /** The role's ops the main thread may call. */
  handlers: Handlers;
  /** This thread's metrics, when not only `registry`'s. */
  metrics?: () => Promise<string>;
  servesBus: boolean;
  close(): Promise<void>;
}

type Context = { rpc: ThreadRpc; handlers: Handlers; registry: Registry; logger: pino.Logger };

/** The engine role on the process's bus, served from the main thread. */
async function startEngineThread(start: EngineStart, { rpc, handlers, registry, logger }: Context): Promise<Started> {
  const bus = await PortBus.connect(rpc, handlers);
  const role = await startEngine(start, bus, registry, logger).catch(async (err: unknown) => {
    await bus.close();
    throw err;
  });
  const queries = localRiskQueries(() => role);
  return {
    handlers: engineQueryHandlers(queries),
    servesBus: false,
    close: async () => {
      await role.close();
      await bus.close();
    },
  };
}

/** The feed and engine on the in-process bus, which the main thread's gateway reads through its port. */
async function startCore(start: CoreStart, { rpc, logger }: Context): Promise<Started> {
  const { config } = start;
  const running = await startRiskline({ config, logger, record: start.record, opsServer: false, busThread: false });
  const server = new BusServer(
    running.bus,
    topicSpecs(config.topics).map((t) => t.name),
  );
  server.attach(rpc);
  const queries = running.engineThread
    ? threadRiskQueries(() => running.engineThread)
    : localRiskQueries(() => running.engine);
  return {
    handlers: {
      ...server.handlers,
      ...engineQueryHandlers(queries),
      storeStatus: () => running.store?.status() ?? null,
    },
    metrics: () => running.registry.metrics(),
    servesBus: true,
    close: async () => {
      await server.close();
      await running.close();
    },
  };
}

function main(data: WorkerData & { port: MessagePort }): void {
  const handlers: Handlers = {};
  const rpc = new ThreadRpc(data.port, handlers);
  const logger = pino({ level: data.logLevel }, { write: (line: string) => rpc.push('log', line) });
  const registry = new Registry();
  let started: Started | null = null;
  const context: Context = { rpc, handlers, registry, logger };
  Object.assign(handlers, {
    start: async (): Promise<ThreadStarted> => {
      const job = data as RoleJob;
      started =
        job.role === 'engine' ? await startEngineThread(job.start, context) : await startCore(job.start, context);
      Object.assign(handlers, started.handlers);
      return { servesBus: started.servesBus };
    },
    metrics: () => (started?.metrics ?? (() => registry.metrics()))(),
    close: async () => {
      await started?.close();
      // Nothing else keeps this thread alive: it ends once the port closes.
      setImmediate(() => rpc.close());
    },
  } satisfies Handlers);
}

if (parentPort && workerData) main(workerData as WorkerData & { port: MessagePort });
