// The router's order journal: every change of an order appended as one JSON line before the
// router acts on it (a NewOrderSingle is journalled before it is written to the venue), so a killed
// router restarts with every order a venue may still report on. At open the file is read (a torn
// last line from a kill is skipped) and rewritten with each order's latest state, so it grows with
// a day's orders, not with their updates.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { finalBefore, type Order } from '../../engine/orders.js';

export class OrderJournal {
  private fd: number;

  /** Opens (or creates) the journal; `restored` holds the orders of earlier runs, oldest first. */
  constructor(
    private readonly file: string,
    private readonly fsync = false,
    /** Orders final before this time (epoch ms) are left out when the file is rewritten. */
    keepSince = -Infinity,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    const latest = new Map<string, Order>();
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line === '') continue;
        try {
          const o = JSON.parse(line) as Order;
          latest.set(o.id, o);
        } catch {
          // A line cut short by a kill: the order's previous line stands (nothing after it was sent).
        }
      }
    }
    this.restored = [...latest.values()].filter((o) => !finalBefore(o, keepSince));
    const tmp = `${file}.tmp`;
    const out = openSync(tmp, 'w');
    writeSync(out, this.restored.map((o) => `${JSON.stringify(o)}\n`).join(''));
    fsyncSync(out);
    closeSync(out);
    renameSync(tmp, file);
    this.fd = openSync(file, 'a');
  }

  readonly restored: Order[];

  /** Appends the order's state now (written to the OS before this returns). */
  write(o: Order): void {
    writeSync(this.fd, `${JSON.stringify(o)}\n`);
    if (this.fsync) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
