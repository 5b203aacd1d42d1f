// A FIX session's durable state: the next sequence numbers each way, the session's creation time
// and every application message sent (a ResendRequest may ask for any of them, across restarts).
//
// Files in the store directory, per session id:
//   <id>.seqnums   "<nextSender> <nextTarget> <creationTime>" padded to a fixed width, rewritten in place;
//   <id>.body      the messages sent: records "<seq> <length>\n<bytes>\n", appended; only their
//                  offsets stay in memory, and a resend reads them back.
// Writes are staged and written with one write() per file per event-loop turn (`flush`), before the
// turn's messages reach the socket (the session flushes the store first): a killed process loses
// nothing it sent, since the data is in the OS once write() returns. A crash of the machine can lose
// the last writes unless `fsync` is on, which syncs both files at each flush (its cost is measured
// in the benchmark). Reading the files happens once, at open.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const SEQNUMS_BYTES = 64;

export interface StoreOptions {
  dir: string;
  /** A file-safe session id, e.g. `FIX.4.4-RISKLINE-VENUE1`. */
  id: string;
  fsync?: boolean;
  /** Wall clock for a new session's creation time. */
  now?: () => number;
}

export class FileSessionStore {
  nextSender = 1;
  nextTarget = 1;
  /** When the current session (sequence numbers from 1) began, epoch ms. */
  creationTime: number;
  /** Where each sent message's bytes lie in the body file: seq → [offset, length] (read back on a resend). */
  private readonly sent = new Map<number, [number, number]>();
  /** The body file's length once what is staged is written. */
  private bodyBytes = 0;
  private readonly seqFile: string;
  private readonly bodyFile: string;
  private seqFd: number;
  private bodyFd: number;
  /** Records written since the last flush, gathered in one reused buffer (writeSync copies it out). */
  private staged = Buffer.allocUnsafe(64 * 1024);
  private stagedBytes = 0;
  private seqDirty = false;
  private scheduled = false;
  private readonly now: () => number;

  constructor(private readonly o: StoreOptions) {
    this.now = o.now ?? Date.now;
    mkdirSync(o.dir, { recursive: true });
    this.seqFile = join(o.dir, `${o.id}.seqnums`);
    this.bodyFile = join(o.dir, `${o.id}.body`);
    this.creationTime = this.now();
    if (existsSync(this.seqFile)) this.load();
    this.seqFd = openSync(this.seqFile, existsSync(this.seqFile) ? 'r+' : 'w+');
    this.bodyFd = openSync(this.bodyFile, existsSync(this.bodyFile) ? 'r+' : 'w+');
    this.seqDirty = true;
    this.flush();
  }

  /** Records an application message sent with `seq` (the bytes as sent, copied). */
  save(seq: number, bytes: Uint8Array): void {
    const head = `${seq} ${bytes.length}\n`;
    this.reserve(head.length + bytes.length + 1);
    this.stagedBytes += this.staged.write(head, this.stagedBytes, 'latin1');
    this.sent.set(seq, [this.bodyBytes + head.length, bytes.length]);
    this.bodyBytes += head.length + bytes.length + 1;
    this.staged.set(bytes, this.stagedBytes);
    this.stagedBytes += bytes.length;
    this.staged[this.stagedBytes++] = 0x0a;
    this.schedule();
  }

  private reserve(n: number): void {
    if (this.stagedBytes + n <= this.staged.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.staged.length * 2, this.stagedBytes + n));
    this.staged.copy(bigger, 0, 0, this.stagedBytes);
    this.staged = bigger;
  }

  /** The application messages sent with sequence numbers in [from, to], in order (read from the file). */
  *range(from: number, to: number): Generator<[number, Buffer]> {
    this.flush();
    for (let seq = from; seq <= to; seq++) {
      const at = this.sent.get(seq);
      if (at === undefined) continue;
      const out = Buffer.allocUnsafe(at[1]);
      readSync(this.bodyFd, out, 0, at[1], at[0]);
      yield [seq, out];
    }
  }

  /** The highest sequence number sent. */
  get lastSent(): number {
    return this.nextSender - 1;
  }

  setNextSender(n: number): void {
    this.nextSender = n;
    this.seqDirty = true;
    this.schedule();
  }

  setNextTarget(n: number): void {
    this.nextTarget = n;
    this.seqDirty = true;
    this.schedule();
  }

  /** A new session: both sequence numbers back to 1, the messages sent forgotten. */
  reset(): void {
    this.nextSender = this.nextTarget = 1;
    this.creationTime = this.now();
    this.sent.clear();
    this.stagedBytes = 0;
    this.bodyBytes = 0;
    closeSync(this.bodyFd);
    this.bodyFd = openSync(this.bodyFile, 'w+');
    this.seqDirty = true;
    this.flush();
  }

  /** Writes what is staged: the session calls it before handing the turn's messages to the socket. */
  flush(): void {
    this.scheduled = false;
    if (this.stagedBytes > 0) {
      const n = this.stagedBytes;
      this.stagedBytes = 0;
      const at = this.bodyBytes - n;
      for (let off = 0; off < n;) off += writeSync(this.bodyFd, this.staged, off, n - off, at + off);
      if (this.o.fsync) fsyncSync(this.bodyFd);
    }
    if (this.seqDirty) {
      this.seqDirty = false;
      const line = `${this.nextSender} ${this.nextTarget} ${this.creationTime}`.padEnd(SEQNUMS_BYTES - 1) + '\n';
      writeSync(this.seqFd, line, 0, 'latin1');
      if (this.o.fsync) fsyncSync(this.seqFd);
    }
  }

  close(): void {
    this.flush();
    closeSync(this.seqFd);
    closeSync(this.bodyFd);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A session that did not flush in its turn (a timer, an app send) still writes in this one.
    setImmediate(() => this.scheduled && this.flush());
  }

  private load(): void {
    const [sender, target, created] = readFileSync(this.seqFile, 'latin1').trim().split(/\s+/).map(Number);
    if (Number.isSafeInteger(sender) && sender > 0) this.nextSender = sender;
    if (Number.isSafeInteger(target) && target > 0) this.nextTarget = target;
    if (Number.isFinite(created)) this.creationTime = created;
    if (!existsSync(this.bodyFile)) return;
    const body = readFileSync(this.bodyFile);
    // A record cut short by a crash mid-write is the last one; it is dropped (its message was never sent).
    let p = 0;
    while (p < body.length) {
      const nl = body.indexOf(0x0a, p);
      if (nl < 0) break;
      const [seq, len] = body.toString('latin1', p, nl).split(' ').map(Number);
      const start = nl + 1;
      if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(len) || start + len + 1 > body.length) break;
      this.sent.set(seq, [start, len]);
      p = start + len + 1;
    }
    this.bodyBytes = p;
  }
}
