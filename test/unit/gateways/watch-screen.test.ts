// Where the table goes: redrawn in place on a terminal (alternate screen, cursor hidden and given
// back), appended as snapshots elsewhere; at most `refreshHz` draws a second either way.

import t from 'tap';
import { TableScreen, type ScreenIO } from '../../../gateways/watch/screen.js';

function io() {
  const out: string[] = [];
  let resize: (() => void) | null = null;
  const screen: ScreenIO = {
    write: (s) => void out.push(s),
    size: () => ({ columns: 40, rows: 5 }),
    onResize: (fn) => {
      resize = fn;
      return () => (resize = null);
    },
    now: Date.now,
  };
  return { screen, out, resize: () => resize?.(), hasResize: () => resize !== null };
}

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

t.test('on a terminal: alternate screen, redraw from the top, and the terminal given back', async (t) => {
  const d = io();
  const sizes: [number, number][] = [];
  const s = new TableScreen(d.screen, (w, h) => (sizes.push([w, h]), ['one', 'two']), 30, true);
  s.start();
  t.equal(d.out[0], '\x1b[?1049h\x1b[?25l', 'alternate screen, cursor hidden');
  await settle();
  t.equal(d.out[1], '\x1b[Hone\x1b[K\ntwo\x1b[K\x1b[J', 'home, each line cleared to its end, the rest cleared');
  t.same(sizes, [[40, 5]], 'drawn at the terminal size');
  t.ok(d.hasResize());
  s.stop();
  t.equal(d.out.at(-1), '\x1b[?25h\x1b[?1049l', 'cursor shown, screen restored');
  t.notOk(d.hasResize(), 'resize listener removed');
  const n = d.out.length;
  s.invalidate();
  await settle();
  t.equal(d.out.length, n, 'nothing drawn after stop');
});

t.test('in a pipe: plain snapshots with a blank line between, no escape codes, no height limit', async (t) => {
  const d = io();
  const s = new TableScreen(d.screen, (_w, h) => [`rows ${h}`], 30, false);
  s.start();
  await settle();
  s.invalidate();
  await settle(80);
  s.stop();
  t.same(d.out, ['rows Infinity\n\n', 'rows Infinity\n\n']);
});

t.test('many changes in a burst are one draw, and draws keep the refresh rate apart', async (t) => {
  const d = io();
  const drawnAt: number[] = [];
  const s = new TableScreen(d.screen, (_w, _h, now) => (drawnAt.push(now), ['x']), 10, false);
  s.start();
  for (let i = 0; i < 50; i++) s.invalidate();
  await settle(20);
  t.equal(drawnAt.length, 1, 'one draw for the burst');
  for (let i = 0; i < 50; i++) s.invalidate();
  const end = Date.now() + 2000;
  while (drawnAt.length < 2 && Date.now() < end) await settle(10);
  s.stop();
  t.equal(drawnAt.length, 2);
  t.ok(drawnAt[1] - drawnAt[0] >= 99, `at most 10 draws a second (${drawnAt[1] - drawnAt[0]} ms apart)`);
});
