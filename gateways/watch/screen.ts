// Where the table goes. On a terminal it is redrawn in place on the alternate screen (the shell's
// screen comes back on exit), at most `refreshHz` times a second and once a second for the ages;
// elsewhere (a pipe, a file) each redraw is a plain snapshot followed by a blank line, written
// only when something changed. Colour is the renderer's business; this only moves the cursor.

export interface ScreenIO {
  write(text: string): void;
  /** Terminal size; rows Infinity where there is no screen to fill. */
  size(): { columns: number; rows: number };
  /** Calls `fn` when the terminal is resized; returns the unsubscribe. */
  onResize(fn: () => void): () => void;
  now(): number;
}

/** Lines for a screen of that size at that time. */
export type Draw = (columns: number, rows: number, now: number) => string[];

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';
const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
const HOME = '\x1b[H';
const CLEAR_LINE_END = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

export class TableScreen {
  private timer: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private unResize: (() => void) | null = null;
  private lastDraw = -Infinity;
  private started = false;
  private changed = true;

  constructor(
    private readonly io: ScreenIO,
    private readonly draw: Draw,
    private readonly refreshHz: number,
    /** Redraw in place (a terminal) or append snapshots. */
    private readonly live: boolean,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.live) {
      this.io.write(ALT_SCREEN_ON + CURSOR_HIDE);
      this.ticker = setInterval(() => this.invalidate(), 1000);
      this.unResize = this.io.onResize(() => this.invalidate());
    }
    this.invalidate();
  }

  /** Something changed: redraw, no sooner than the refresh rate allows. */
  invalidate(): void {
    this.changed = true;
    if (!this.started || this.timer !== null) return;
    const wait = Math.max(0, this.lastDraw + 1000 / this.refreshHz - this.io.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** Draws now if anything changed since the last draw. */
  flush(): void {
    if (!this.started || !this.changed) return;
    this.changed = false;
    this.lastDraw = this.io.now();
    const { columns, rows } = this.io.size();
    const lines = this.draw(columns, this.live ? rows : Infinity, this.lastDraw);
    if (this.live) this.io.write(HOME + lines.map((l) => l + CLEAR_LINE_END).join('\n') + CLEAR_BELOW);
    else this.io.write(lines.join('\n') + '\n\n');
  }

  /** Stops redrawing and gives the terminal back as it was. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.ticker !== null) clearInterval(this.ticker);
    this.timer = this.ticker = null;
    this.unResize?.();
    if (this.live) this.io.write(CURSOR_SHOW + ALT_SCREEN_OFF);
  }
}
