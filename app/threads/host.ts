// Roles on a worker thread of their own (./worker.ts), so that long synchronous work on one thread
// never holds up the others: the engine's revaluations (`engine`), or the gateway's fan-out, which
// keeps the main thread while the bus, feed and engine run on a `core` thread. This side starts the
// worker, writes its log lines and stops it; the bus crosses by streams/thread-bus.ts either way:
// served from here to the worker (a BusServer here, a PortBus there), or the other way round when
// the worker holds the bus. The roles inside are started by the same code as on the main thread:
// no role knows which thread it is on.

import { MessageChannel, SHARE_ENV, Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { RisklineError } from '../../errors/catalogue.js';
import type { Bus } from '../../streams/bus.js';
import { BusServer, PortBus } from '../../streams/thread-bus.js';
import { ThreadRpc, type Handlers } from '../../streams/thread-rpc.js';
import type { RisklineConfig } from '../../config/schema.js';
import type { EngineStart } from '../roles/engine-start.js';

/** The roles beside the gateway, with the in-process bus they share (which the worker serves back). */
export interface CoreStart {
  /** The process's configuration, its roles less the gateway. */
  config: RisklineConfig;
  record: string | null;
}

/** What a worker is told to run (plain data: it is copied to the thread). */
export type RoleJob = { role: 'engine'; start: EngineStart } | { role: 'core'; start: CoreStart };
export type WorkerData = RoleJob & { logLevel: string };

/** What the worker's `start` answers. */
export interface ThreadStarted {
  /** The worker holds the process's bus and serves it to this thread. */
  servesBus: boolean;
}

export interface RoleThread {
  /** Calls the role's ops on its thread (`whatIf` for the engine and the core). */
  rpc: ThreadRpc;
  /** The worker's bus, seen from this thread (when it holds the process's bus). */
  bus: PortBus | null;
  /** The worker's own metrics, in Prometheus text. */
  metrics(): Promise<string>;
  /** Stops the role (as its own close() would), then the thread. */
  close(): Promise<void>;
}

/** Worker lines arrive as pino JSON; they are written again through this thread's logger. */
function relogger(logger: Logger): (line: string) => void {
  return (line) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return void logger.warn({ line }, 'worker thread: unreadable log line');
    }
    const { level, time: _t, pid: _p, hostname: _h, msg, ...rest } = entry;
    const method = (logger.levels.labels[Number(level)] ?? 'info') as 'info';
    logger[method](rest, typeof msg === 'string' ? msg : '');
  };
}

const workerUrl = new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * Starts `job` on a new thread; resolves once its role has started (or rejects with why it could not).
 * `serve`: this thread's bus, which the worker's roles are to use.
 */
export async function startRoleThread(
  job: RoleJob,
  d: { serve?: { bus: Bus; topics: readonly string[] }; logger: Logger },
): Promise<RoleThread> {
  const { port1, port2 } = new MessageChannel();
  const server = d.serve ? new BusServer(d.serve.bus, d.serve.topics) : null;
  const handlers: Handlers = { ...server?.handlers, log: relogger(d.logger) };
  const rpc = new ThreadRpc(port1, handlers);
  server?.attach(rpc);
  const data: WorkerData = { ...job, logLevel: d.logger.level };
  // SHARE_ENV: what the role sets for native libraries (OPENBLAS_CORETYPE) must reach the process's real environment.
  const worker = new Worker(workerUrl, { workerData: { ...data, port: port2 }, transferList: [port2], env: SHARE_ENV });
  let exited = false;
  let stopping = false;
  let started = false;
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      exited = true;
      resolve();
      // A process whose engine is gone would still look alive to a supervisor: stop all of it.
      if (started && !stopping) {
        d.logger.fatal({ code, role: job.role }, `the ${job.role} thread ended unexpectedly; stopping the process`);
        process.kill(process.pid, 'SIGTERM');
      }
    }),
  );
  worker.on('error', (err) => d.logger.error({ err, role: job.role }, `the ${job.role} thread failed`));
  let bus: PortBus | null = null;
  let closed: Promise<void> | null = null;
  const stop = () =>
    (closed ??= (async () => {
      stopping = true;
      await bus?.close();
      if (!exited) await rpc.call('close').catch(() => undefined);
      await server?.close();
      rpc.close();
      if (!exited) await worker.terminate();
      await exit;
    })());
  try {
    const ended = exit.then(() => {
      throw new RisklineError('UNAVAILABLE', `the ${job.role} thread ended while starting; see the log`);
    });
    const reply = await Promise.race([rpc.call<ThreadStarted>('start'), ended]);
    if (reply.servesBus) bus = await Promise.race([PortBus.connect(rpc, handlers), ended]);
  } catch (err) {
    await stop();
    throw err;
  }
  started = true;
  return { rpc, bus, metrics: () => rpc.call<string>('metrics'), close: stop };
}
