import t from 'tap';
import { Engine } from '../../../engine/engine.js';
import { ExecutionWindow } from '../../../engine/executions.js';
import { decodeFrame, type Frame } from '../../../engine/frames.js';
import { applyInputs, engineOptions, seededInputs } from './fixtures.js';

const inputs = (n: number) => seededInputs({ n, seed: 7, execShare: 0.3, maxStepMs: 5, vol: 0.004 });
const apply = applyInputs;

t.test('a portfolio restored from a checkpoint continues exactly like the engine that wrote it', async (t) => {
  const all = inputs(4000);
  const a = new Engine(engineOptions(), () => undefined);
  apply(a, all.slice(0, 2000));
  const port = a.portfolioIndex('P-USD');
  const cp = a.checkpoint(port);
  t.ok(cp.positions.length > 0 && cp.executions.length > 0, 'the checkpoint holds positions and execution ids');
  apply(a, all.slice(2000));

  // B never saw the first half: it starts from the checkpoint (a fresh process taking over).
  const b = new Engine(engineOptions(), () => undefined);
  b.restore(b.portfolioIndex('P-USD'), structuredClone(cp));
  b.own(b.portfolioIndex('P-USD'));
  apply(b, all.slice(2000), 'P-USD');

  const ea = a.checkpoint(port);
  const eb = b.checkpoint(port);
  t.same(eb.positions, ea.positions, 'positions, average costs and realised P&L are identical');
  t.same(eb.cash, ea.cash, 'cash is identical');
  t.equal(eb.realized, ea.realized);
  t.same(eb.executions, ea.executions, 'the dedupe window is identical');
  t.ok(Math.abs(b.book.nav(port) - a.book.nav(port)) < 1e-6 * Math.abs(a.book.nav(port)), 'NAV agrees');
  t.ok(Math.abs(b.book.unrealizedPnl(port) - a.book.unrealizedPnl(port)) < 1e-6, 'unrealised P&L agrees');

  // Executions inside the checkpoint are duplicates for B: replaying them changes nothing.
  const before = JSON.stringify(b.checkpoint(port).positions);
  for (const x of all.slice(1500, 2000)) if ('exec' in x && x.exec.portfolio === 'P-USD') t.notOk(b.execute(x.exec));
  t.equal(JSON.stringify(b.checkpoint(port).positions), before);
});

t.test('restoring over a stale state replaces it; null restores the opening book', async (t) => {
  const all = inputs(1500);
  const e = new Engine(engineOptions(), () => undefined);
  const port = e.portfolioIndex('P-EUR');
  const opening = e.checkpoint(port);
  apply(e, all.slice(0, 800));
  const mid = e.checkpoint(port);
  apply(e, all.slice(800));
  t.notSame(e.checkpoint(port).positions, mid.positions);
  e.restore(port, structuredClone(mid));
  t.same(e.checkpoint(port).positions, mid.positions);
  t.same(e.checkpoint(port).cash, mid.cash);
  e.restore(port, null);
  t.same(
    e.checkpoint(port).positions.filter((p) => p[1] !== 0),
    opening.positions.filter((p) => p[1] !== 0),
  );
  t.same(e.checkpoint(port).cash, opening.cash);
  t.same(e.checkpoint(port).executions, [], 'the opening book has applied no execution');
});

t.test('a released portfolio publishes nothing; taking it back starts with a snapshot continuing seq', async (t) => {
  const frames: Frame[] = [];
  const e = new Engine(engineOptions(), (fs) => frames.push(...fs.map((f) => decodeFrame(f))));
  const all = inputs(3000);
  apply(e, all.slice(0, 1000));
  e.flush();
  const port = e.portfolioIndex('P-USD');
  const cp = e.checkpoint(port);
  const lastSeq = Math.max(...frames.filter((f) => f.channel === 'positions:P-USD').map((f) => f.seq));
  e.release(port);
  frames.length = 0;
  apply(e, all.slice(1000, 2000), 'P-EUR');
  e.flush();
  t.equal(frames.filter((f) => f.channel.endsWith(':P-USD')).length, 0, 'nothing for the released portfolio');
  t.ok(
    frames.some((f) => f.channel === 'positions:P-EUR'),
    'the other portfolio goes on',
  );

  frames.length = 0;
  e.restore(port, cp);
  e.own(port);
  e.advanceTo(e.book.now);
  const first = frames.find((f) => f.channel === 'positions:P-USD');
  t.equal(first?.type, 'snapshot');
  t.equal(first?.seq, lastSeq + 1, 'the channel sequence continues');
});

t.test('the execution window remembers the newest ids only', async (t) => {
  const w = new ExecutionWindow(3);
  t.ok(w.add('a') && w.add('b') && w.add('c'));
  t.notOk(w.add('b'));
  t.ok(w.add('d'));
  t.same(w.list(), ['b', 'c', 'd']);
  t.ok(w.add('a'), 'the oldest id left the window');
  const copy = new ExecutionWindow(3);
  copy.restore(w.list());
  t.same(copy.list(), w.list());
  t.notOk(copy.add('d'));
});

t.test("resnapshot: a portfolio's next frames are snapshots at the next seq, and only its own", async (t) => {
  const frames: Frame[] = [];
  const e = new Engine(engineOptions(), (fs) => void frames.push(...fs.map((f) => decodeFrame(f))));
  const all = inputs(3000);
  apply(e, all.slice(0, 1500));
  const channel = 'positions:P-USD';
  const last = frames.filter((f) => f.channel === channel).at(-1)!;
  t.equal(last.type, 'update', 'updates before');
  const others = frames.filter((f) => f.channel.startsWith('positions:') && f.channel !== channel).at(-1)!;
  frames.length = 0;
  e.resnapshot(e.portfolioIndex('P-USD'));
  apply(e, all.slice(1500));
  const next = frames.find((f) => f.channel === channel)!;
  t.match(next, { type: 'snapshot', seq: last.seq + 1 }, 'the next frame is a snapshot at the next seq');
  t.equal(frames.find((f) => f.channel === others.channel)?.type, 'update', 'another portfolio goes on with updates');
});
