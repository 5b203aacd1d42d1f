// A role on a worker thread of its own (./worker.ts), so that its long synchronous work (the engine's
// revaluations) never holds up the roles that share its process (the feed, fan-out). This side runs
// beside the bus: it starts the worker, serves it the bus (streams/thread-bus.ts BusServer) and
// writes its log lines, and stops it. The role inside is started by the same code as on the main
// thread, on a PortBus: no role knows which thread it is on.

import { MessageChannel, SHARE_ENV, Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { RisklineError } from '../../errors/catalogue.js';
import type { Bus } from '../../streams/bus.js';
import { BusServer } from '../../streams/thread-bus.js';
import { ThreadRpc, type Handlers } from '../../streams/thread-rpc.js';
import type { EngineStart } from '../roles/engine-start.js';

/** What a worker is told to run (plain data: it is copied to the thread). */
export type RoleJob = { role: 'engine'; start: EngineStart };
export type WorkerData = RoleJob & { logLevel: string };

export interface RoleThread {
  /** Calls the role's ops on its thread (`whatIf` for the engine). */
  rpc: ThreadRpc;
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

/** Starts `job` on a new thread; resolves once its role has started (or rejects with why it could not). */
export async function startRoleThread(
  job: RoleJob,
  d: { bus: Bus; topics: readonly string[]; logger: Logger },
): Promise<RoleThread> {
  const { port1, port2 } = new MessageChannel();
  const server = new BusServer(d.bus, d.topics);
  const handlers: Handlers = { ...server.handlers, log: relogger(d.logger) };
  const rpc = new ThreadRpc(port1, handlers);
  server.attach(rpc);
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
  let closed: Promise<void> | null = null;
  const stop = () =>
    (closed ??= (async () => {
      stopping = true;
      if (!exited) await rpc.call('close').catch(() => undefined);
      await server.close();
      rpc.close();
      if (!exited) await worker.terminate();
      await exit;
    })());
  try {
    await Promise.race([
      rpc.call('start'),
      exit.then(() => {
        throw new RisklineError('UNAVAILABLE', `the ${job.role} thread ended while starting; see the log`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  started = true;
  return { rpc, metrics: () => rpc.call<string>('metrics'), close: stop };
}
