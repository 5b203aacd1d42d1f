// The gateway's admission limits, pure and clock-injected: a token bucket (rate with a burst), per
// connection for client messages and per address for upgrades, and the counts of connections in
// total and per subject. OWASP's WebSocket guidance: bound everything a client can make the server
// hold or do.

/** `rate` tokens a second up to `burst`; take() spends one when there is one. */
export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Full again (nothing spent for as long as a full refill takes): it may be forgotten. */
  idle(now: number): boolean {
    return this.tokens + ((now - this.at) / 1000) * this.rate >= this.burst;
  }
}

export interface AdmissionLimits {
  maxConnections: number;
  maxConnectionsPerSubject: number;
  /** Upgrades a second per remote address, and the burst allowed. */
  upgradesPerSecond: number;
  upgradeBurst: number;
}

/** Why an upgrade is refused, or null: connection caps and the per-address upgrade rate. */
export class Admission {
  private total = 0;
  private readonly bySubject = new Map<string, number>();
  private readonly byAddress = new Map<string, TokenBucket>();
  private lastSweep = 0;

  constructor(private readonly l: AdmissionLimits) {}

  get connections(): number {
    return this.total;
  }

  /** Checked before authentication, so a flood of upgrades costs no token verification. */
  rateLimited(address: string, now: number): boolean {
    this.sweep(now);
    let b = this.byAddress.get(address);
    if (b === undefined)
      this.byAddress.set(address, (b = new TokenBucket(this.l.upgradesPerSecond, this.l.upgradeBurst, now)));
    return !b.take(now);
  }

  /** The reason a subject may not open one more connection now, or null. */
  refusal(subject: string, counted: boolean): string | null {
    if (this.total >= this.l.maxConnections)
      return `the gateway is at its limit of ${this.l.maxConnections} connections`;
    if (counted && (this.bySubject.get(subject) ?? 0) >= this.l.maxConnectionsPerSubject)
      return `${subject} already has ${this.l.maxConnectionsPerSubject} connections open (the limit per identity)`;
    return null;
  }

  opened(subject: string): void {
    this.total++;
    this.bySubject.set(subject, (this.bySubject.get(subject) ?? 0) + 1);
  }

  closed(subject: string): void {
    this.total--;
    const n = (this.bySubject.get(subject) ?? 1) - 1;
    if (n <= 0) this.bySubject.delete(subject);
    else this.bySubject.set(subject, n);
  }

  /** Forgets full buckets now and then, so addresses seen once do not accumulate. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [a, b] of this.byAddress) if (b.idle(now)) this.byAddress.delete(a);
  }
}

/** Same-origin (the Origin's host is the Host header) or listed; requests without Origin (not browsers) pass. */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
