// What the REST tests share: a real engine (delta-normal and simulation risk) driven by seeded
// inputs, its frames fed into a gateway ChannelStore exactly as the gateway ingests them, and
// requests built on the route contract's HttpRequest interface.
import { Engine } from '../../../engine/engine.js';
import { AlertEntry } from '../../../gateways/alerts/entry.js';
import type { AlertAction } from '../../../services/alerts/actions.js';
import { AlertDesk } from '../../../services/alerts/desk.js';
import { decodeFrame, type Frame } from '../../../engine/frames.js';
import { RisklineError, toRisklineError } from '../../../errors/catalogue.js';
import { ChannelStore } from '../../../gateways/channels.js';
import type { Identity } from '../../../gateways/identity/identity.js';
import { errorReply, type HttpReply, type HttpRequest, type Route } from '../../../gateways/route.js';
import {
  drive as settle,
  engineOptions,
  instruments,
  portfolios,
  seededInputs,
  simulationOptions,
  type Input,
} from '../engine/fixtures.js';

export { instruments, portfolios };

/** An engine with historical and Monte Carlo sets as well as delta-normal risk; `frames` gets everything it publishes. */
export function simulatingEngine(frames: Frame[]): Engine {
  return new Engine(
    engineOptions({
      simulation: simulationOptions(500),
    }),
    (fs) => frames.push(...fs.map((f) => decodeFrame(f))),
  );
}

/** Applies inputs in order, waiting whenever the engine holds them for a scenario build. */
export async function drive(engine: Engine, inputs: Input[]): Promise<void> {
  await settle(engine, inputs);
  engine.flush();
}

export const inputs = (n: number, seed = 11): Input[] =>
  seededInputs({ n, seed, execShare: 0.05, maxStepMs: 200, vol: 0.002 });

/** The gateway's store for the fixture book, before any frame. */
export function emptyStore(): ChannelStore {
  return new ChannelStore({ portfolios: portfolios.map((p) => p.id), instruments: instruments.map((i) => i.id) });
}

/** Feeds frames to a store as the gateway's ingest does (each frame through `accept`). */
export function feed(store: ChannelStore, frames: readonly Frame[]): ChannelStore {
  for (const f of frames) store.accept(f);
  return store;
}

/** A caller entitled to the listed portfolios (or all, with '*'). */
export function caller(portfolios: readonly string[] | '*'): Identity {
  return {
    subject: portfolios === '*' ? 'risk-officer' : `desk-${portfolios.join('-')}`,
    entitlement: portfolios === '*' ? '*' : new Set(portfolios),
    roles: [],
    expiresAt: null,
  };
}

/** A request on the contract's interface: what a transport hands a route. */
export function request(
  method: string,
  path: string,
  o: { headers?: Record<string, string>; body?: string | Buffer } = {},
): HttpRequest {
  const headers = new Map(Object.entries(o.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const body = typeof o.body === 'string' ? Buffer.from(o.body) : (o.body ?? Buffer.alloc(0));
  return {
    method,
    url: new URL(path, 'http://localhost'),
    header: (name) => headers.get(name),
    remoteAddress: '127.0.0.1',
    body: (limit) =>
      body.length > limit
        ? Promise.reject(new RisklineError('PAYLOAD_TOO_LARGE', `request bodies here are limited to ${limit} bytes`))
        : Promise.resolve(body),
  };
}

/** A JSON reply's body, parsed. */
export function parsed(reply: HttpReply): unknown {
  const text = typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body).toString('utf8');
  return JSON.parse(text) as unknown;
}

/** The route of a table with this method and path pattern. */
export function routeOf(routes: readonly Route[], method: Route['method'], path: string): Route {
  const r = routes.find((x) => x.method === method && x.path === path);
  if (r === undefined) throw new Error(`no route ${method} ${path} in the table`);
  return r;
}

/** Runs a route as the router does once it has matched: a thrown error becomes the catalogue's reply. */
export async function invoke(
  route: Route,
  identity: Identity,
  o: { params?: Record<string, string>; req?: HttpRequest } = {},
): Promise<HttpReply> {
  const req = o.req ?? request(route.method, route.path);
  try {
    return await route.handler({ req, params: o.params ?? {}, identity });
  } catch (err) {
    return errorReply(toRisklineError(err));
  }
}

/**
 * An alert desk and its entry, where publishing an action is the desk reading it back (the topic's
 * round trip: test/e2e/alert-desk.test.ts covers the real one); `published` gets each action.
 */
export function alertDesk(published: AlertAction[] = [], now = () => 1_800_000_000_000) {
  const desk = new AlertDesk();
  const entry = new AlertEntry(
    desk,
    (a) => {
      published.push(a);
      desk.apply(a);
      return Promise.resolve();
    },
    now,
  );
  return { desk, entry, published };
}
