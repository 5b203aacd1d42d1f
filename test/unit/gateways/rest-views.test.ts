// GET /v1/portfolios/:id/positions|exposures|risk: one view at one inputSeq, taken from the
// gateway's store fed with a real engine's frames; a copy that later frames do not change;
// entitlement before existence; 404 for an unknown book; 503 until there is state to give.
import t, { type Test } from 'tap';
import type { Frame } from '../../../engine/frames.js';
import { NOBODY, type Identity } from '../../../gateways/identity/identity.js';
import {
  portfolioViewRoutes,
  VIEW_KINDS,
  viewPath,
  type PortfolioView,
  type ViewKind,
} from '../../../gateways/rest/views.js';
import type { HttpReply } from '../../../gateways/route.js';
import type { ChannelStore } from '../../../gateways/channels.js';
import { documented } from './openapi-check.js';
import { caller, drive, emptyStore, feed, inputs, invoke, parsed, routeOf, simulatingEngine } from './rest-fixtures.js';

const api = documented();

/** A store holding what a real engine published for 600 seeded inputs, and the engine to drive on. */
async function liveBook() {
  const frames: Frame[] = [];
  const engine = simulatingEngine(frames);
  await drive(engine, inputs(600));
  const store = feed(emptyStore(), frames);
  frames.length = 0;
  return { engine, frames, store };
}

/** Asks one view of `store` as `who`, and checks the reply against the published document. */
async function ask(
  t: Test,
  store: ChannelStore,
  who: Identity,
  kind: ViewKind,
  id: string,
): Promise<{ reply: HttpReply; body: Record<string, unknown> }> {
  const route = routeOf(portfolioViewRoutes({ store }), 'GET', viewPath(kind));
  const reply = await invoke(route, who, { params: { id } });
  t.same(api.check(route, reply), [], `${kind} of ${id}: reply ${reply.status} matches openapi.yaml`);
  return { reply, body: parsed(reply) as Record<string, unknown> };
}

t.test('each view is the store state of its channel at that moment: one inputSeq, asOf and seq', async (t) => {
  const { store } = await liveBook();
  for (const id of ['P-USD', 'P-EUR']) {
    for (const kind of VIEW_KINDS) {
      const ch = store.get(`${kind}:${id}`)!;
      t.ok(ch.seq > 0 && ch.inputSeq > 0, `${kind}:${id} has engine state`);
      const { reply, body } = await ask(t, store, caller('*'), kind, id);
      t.equal(reply.status, 200);
      t.same(body, {
        portfolio: id,
        channel: `${kind}:${id}`,
        inputSeq: ch.inputSeq,
        asOf: ch.asOf,
        seq: ch.seq,
        data: ch.state,
      });
      t.equal(reply.headers?.['cache-control'], 'no-store', 'live state is never cached');
    }
    // The risk engine writes the inputSeq it computed at into its data: the view carries the same one.
    const risk = (await ask(t, store, caller('*'), 'risk', id)).body as unknown as PortfolioView;
    t.equal(risk.data.inputSeq, risk.inputSeq, `risk of ${id}: data and view at one inputSeq`);
    t.equal(risk.data.asOf, risk.asOf);
    t.ok(Array.isArray(risk.data.measures), 'the simulation methods are in the view');
  }
});

t.test('the reply is a copy: frames applied after it, or edits to the store, never change it', async (t) => {
  const { engine, frames, store } = await liveBook();
  const first = await ask(t, store, caller(['P-USD']), 'positions', 'P-USD');
  const text = first.reply.body;
  const before = store.get('positions:P-USD')!;
  const seen = { inputSeq: before.inputSeq, seq: before.seq };

  // The market moves on and the desk trades: the engine publishes, the store applies.
  await drive(engine, inputs(300, 99));
  feed(store, frames);
  const after = store.get('positions:P-USD')!;
  t.ok(after.seq > seen.seq && after.inputSeq > seen.inputSeq, 'the store moved on');
  // Even the merged state object itself edited in place (the store's own merge may reuse it).
  (after.state as { rows: Record<string, unknown> }).rows = {};

  t.equal(first.reply.body, text, 'the reply built earlier is unchanged');
  t.equal(first.body.inputSeq, seen.inputSeq);
  t.equal(first.body.seq, seen.seq);
  t.ok(Object.keys((first.body.data as { rows: object }).rows).length > 0, 'its rows are the ones it was built with');

  const now = await ask(t, store, caller(['P-USD']), 'positions', 'P-USD');
  t.equal(now.body.inputSeq, after.inputSeq, 'a new request sees the new state');
  t.same((now.body.data as { rows: object }).rows, {});
});

t.test('a caller entitled to one book gets 403 for another, and for books that do not exist', async (t) => {
  const { store } = await liveBook();
  const deskUsd = caller(['P-USD']);
  for (const kind of VIEW_KINDS) {
    t.equal((await ask(t, store, deskUsd, kind, 'P-USD')).reply.status, 200, `${kind}: own book`);
    const other = await ask(t, store, deskUsd, kind, 'P-EUR');
    t.equal(other.reply.status, 403, `${kind}: another desk's book`);
    t.same(other.body, { code: 'FORBIDDEN', message: `not entitled to portfolio P-EUR (${kind})` });
    // The same answer whether or not the book exists: nothing is learnt about other books.
    const ghost = await ask(t, store, deskUsd, kind, 'NO-SUCH-BOOK');
    t.same(ghost.body, { code: 'FORBIDDEN', message: `not entitled to portfolio NO-SUCH-BOOK (${kind})` });
    t.equal((await ask(t, store, NOBODY, kind, 'P-USD')).reply.status, 403, `${kind}: no entitlement at all`);
  }
  t.equal((await ask(t, store, caller(['P-EUR']), 'risk', 'P-EUR')).reply.status, 200);
});

t.test('a risk officer (*) sees every book; an unknown one is 404', async (t) => {
  const { store } = await liveBook();
  for (const id of ['P-USD', 'P-EUR']) {
    t.equal((await ask(t, store, caller('*'), 'exposures', id)).reply.status, 200);
  }
  const unknown = await ask(t, store, caller('*'), 'positions', 'NO-SUCH-BOOK');
  t.equal(unknown.reply.status, 404);
  t.same(unknown.body, { code: 'NOT_FOUND', message: 'no such portfolio: NO-SUCH-BOOK' });
  // Entitled by name to a book the gateway does not know: also 404, since it may see that book.
  t.equal((await ask(t, store, caller(['GHOST']), 'risk', 'GHOST')).reply.status, 404);
  // '*' is a claim, not a portfolio id.
  t.equal((await ask(t, store, caller('*'), 'positions', '*')).reply.status, 404);
  t.equal((await ask(t, store, caller(['P-USD']), 'positions', '*')).reply.status, 403);
});

t.test('an id from a crafted path cannot make an error body large', async (t) => {
  const store = emptyStore();
  const long = 'X'.repeat(100_000);
  for (const who of [caller('*'), caller(['P-USD'])]) {
    const { reply, body } = await ask(t, store, who, 'positions', long);
    t.ok(reply.status === 404 || reply.status === 403);
    t.ok(String(body.message).length < 200, `${reply.status}: ${String(body.message).length} characters`);
  }
});

t.test('503 until the engine first publishes the channel, then 200', async (t) => {
  const store = emptyStore();
  for (const kind of VIEW_KINDS) {
    const { reply, body } = await ask(t, store, caller('*'), kind, 'P-USD');
    t.equal(reply.status, 503);
    t.same(body, {
      code: 'UNAVAILABLE',
      message: `${kind} of P-USD: no state yet (the gateway has not received the engine's first ${kind}:P-USD snapshot)`,
    });
  }
  // The engine's very first frames are the book's opening positions and exposures; risk follows later.
  const frames: Frame[] = [];
  const engine = simulatingEngine(frames);
  engine.publishSnapshots();
  feed(
    store,
    frames.filter((f) => !f.channel.startsWith('risk:')),
  );
  t.equal((await ask(t, store, caller('*'), 'positions', 'P-USD')).reply.status, 200);
  t.equal((await ask(t, store, caller('*'), 'exposures', 'P-USD')).reply.status, 200);
  t.equal((await ask(t, store, caller('*'), 'risk', 'P-USD')).reply.status, 503, 'risk not published yet');
});

t.test('a gap in the frames: 503 until the next snapshot, never state known to be behind', async (t) => {
  const frames: Frame[] = [];
  const engine = simulatingEngine(frames);
  await drive(engine, inputs(600));
  const positions = frames.filter((f) => f.channel === 'positions:P-EUR');
  const firstUpdate = positions.findIndex((f) => f.type === 'update');
  t.ok(firstUpdate > 0 && positions.length > firstUpdate + 2, 'the engine published updates');
  const store = feed(emptyStore(), positions.slice(0, firstUpdate));
  t.equal((await ask(t, store, caller('*'), 'positions', 'P-EUR')).reply.status, 200);

  // One update lost on the way: the next one shows the gap.
  const missed = positions[firstUpdate];
  t.equal(store.accept(positions[firstUpdate + 1]), 'gap');
  const { reply, body } = await ask(t, store, caller('*'), 'positions', 'P-EUR');
  t.equal(reply.status, 503);
  t.same(body, {
    code: 'UNAVAILABLE',
    message: `positions of P-EUR: frames after seq ${missed.seq - 1} were missed; waiting for the engine's next snapshot`,
  });

  // The engine's next snapshot heals the channel.
  frames.length = 0;
  engine.publishSnapshots();
  feed(store, frames);
  const healed = await ask(t, store, caller('*'), 'positions', 'P-EUR');
  t.equal(healed.reply.status, 200);
  t.equal(healed.body.seq, frames.find((f) => f.channel === 'positions:P-EUR')!.seq);
});

t.test('the three routes need a token and are documented at their paths', async (t) => {
  const routes = portfolioViewRoutes({ store: emptyStore() });
  t.same(
    routes.map((r) => [r.method, r.path, r.auth]),
    VIEW_KINDS.map((k) => ['GET', `/v1/portfolios/:id/${k}`, true]),
  );
});
