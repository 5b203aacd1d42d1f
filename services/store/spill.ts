// Where the store keeps bus records while PostgreSQL is away: an append-only file of
// length-prefixed records (u32 big-endian length, then the record's bytes), flushed to disk before
// the records' offsets are committed, so a crash loses nothing that was taken off the bus. Reading
// it back starts from the beginning each time: the sink stores a record once however often it is
// written (natural keys), so a drain cut short by a crash is simply done again.
//
// Invariants: records come out in the order they went in; a torn last record (a crash mid-append)
// is cut off at open, since its offsets were never committed and the bus delivers it again.

import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export class SpillFile {
  private fd: number;
  private size: number;
  /** Records held (counted at open, then kept). */
  records = 0;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'store-spill.bin');
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    this.size = fstatSync(this.fd).size;
    this.cutTornTail();
  }

  get bytes(): number {
    return this.size;
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** Appends records and flushes them to disk. */
  append(values: readonly Uint8Array[]): void {
    let total = 0;
    for (const v of values) total += 4 + v.length;
    const buf = Buffer.allocUnsafe(total);
    let at = 0;
    for (const v of values) {
      buf.writeUInt32BE(v.length, at);
      buf.set(v, at + 4);
      at += 4 + v.length;
    }
    writeSync(this.fd, buf, 0, total, this.size);
    fsyncSync(this.fd);
    this.size += total;
    this.records += values.length;
  }

  /** Calls `visit` with up to `max` records starting at byte `from`; returns the byte after the last one read. */
  read(from: number, max: number, visit: (value: Uint8Array) => void): number {
    let at = from;
    const head = Buffer.allocUnsafe(4);
    for (let n = 0; n < max && at + 4 <= this.size; n++) {
      readSync(this.fd, head, 0, 4, at);
      const len = head.readUInt32BE(0);
      if (at + 4 + len > this.size) break;
      const value = Buffer.allocUnsafe(len);
      readSync(this.fd, value, 0, len, at + 4);
      visit(value);
      at += 4 + len;
    }
    return at;
  }

  /** Everything is in the database: the file starts over. */
  clear(): void {
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
    this.size = 0;
    this.records = 0;
  }

  close(): void {
    closeSync(this.fd);
  }

  private cutTornTail(): void {
    let at = 0;
    let n = 0;
    const head = Buffer.allocUnsafe(4);
    while (at + 4 <= this.size) {
      readSync(this.fd, head, 0, 4, at);
      const next = at + 4 + head.readUInt32BE(0);
      if (next > this.size) break;
      at = next;
      n++;
    }
    if (at !== this.size) {
      ftruncateSync(this.fd, at);
      this.size = at;
    }
    this.records = n;
  }
}
