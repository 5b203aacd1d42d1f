// Calls across a MessagePort between two threads of one process: each side answers the ops it was
// given and can call the other's. A call's promise settles with the other side's return value or
// its error, rebuilt as a RisklineError when it carried a catalogue code (so an edge in either
// thread renders it the same). Messages on a port keep their order, which the bus bridge relies on
// (a read's chunks arrive before its reply). Values cross by structured clone: copies.

import type { MessagePort } from 'node:worker_threads';
import { ERRORS, RisklineError, type ErrorCode } from '../errors/catalogue.js';

export type Handler = (...args: never[]) => unknown;
export type Handlers = Record<string, Handler>;

export type WireError = { message: string; code?: string; stack?: string };
type Wire =
  | { t: 'call'; id: number; op: string; args: unknown[] }
  | { t: 'reply'; id: number; value?: unknown; error?: WireError }
  | { t: 'push'; op: string; args: unknown[] };

/** An error as it crosses the port. */
export function toWire(err: unknown): WireError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { message: err.message, code: typeof code === 'string' ? code : undefined, stack: err.stack };
  }
  return { message: String(err) };
}

/** An error that crossed the port, rebuilt (a RisklineError where it carried a catalogue code). */
export function fromWire(e: WireError, op: string): Error {
  const err =
    e.code !== undefined && e.code in ERRORS
      ? new RisklineError(e.code as ErrorCode, e.message)
      : new Error(`${op} (other thread): ${e.message}`);
  if (e.stack) err.stack = `${err.name}: ${err.message}\n    (thrown on the other thread)\n${e.stack}`;
  return err;
}

export class ThreadRpc {
  private next = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; op: string }>();
  private closed = false;

  constructor(
    private readonly port: MessagePort,
    private readonly handlers: Handlers,
  ) {
    port.on('message', (m: Wire) => this.receive(m));
    port.on('close', () => this.fail('the other thread closed its port'));
  }

  /** Calls the other side's `op`; rejects when it throws, or when the port closes first. */
  call<T>(op: string, ...args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new RisklineError('UNAVAILABLE', `${op}: the other thread is gone`));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, op });
      this.port.postMessage({ t: 'call', id, op, args } satisfies Wire);
    });
  }

  /** Hands the other side's `op` these arguments, with no reply. */
  push(op: string, ...args: unknown[]): void {
    if (!this.closed) this.port.postMessage({ t: 'push', op, args } satisfies Wire);
  }

  /** Fails what is still waiting and closes the port. */
  close(): void {
    this.fail('closed');
    this.port.close();
  }

  private fail(why: string): void {
    this.closed = true;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new RisklineError('UNAVAILABLE', `${p.op}: ${why}`));
    }
  }

  private receive(m: Wire): void {
    if (m.t === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(fromWire(m.error, p.op));
      else p.resolve(m.value);
      return;
    }
    const handler = this.handlers[m.op] as ((...args: unknown[]) => unknown) | undefined;
    if (m.t === 'push') {
      handler?.(...m.args);
      return;
    }
    const reply = (r: { value?: unknown; error?: WireError }) => {
      if (!this.closed) this.port.postMessage({ t: 'reply', id: m.id, ...r } satisfies Wire);
    };
    if (!handler) return reply({ error: { message: `no op "${m.op}" on this thread` } });
    try {
      Promise.resolve(handler(...m.args)).then(
        (value) => reply({ value }),
        (err: unknown) => reply({ error: toWire(err) }),
      );
    } catch (err) {
      reply({ error: toWire(err) });
    }
  }
}
