// What a FIX session is told: who it is, who it talks to, its clocks and reset rules. The defaults
// are the usual ones of FIX engines (QuickFIX's among them) where the specification leaves a choice.

export interface SessionConfig {
  role: 'initiator' | 'acceptor';
  beginString: 'FIX.4.4';
  senderCompId: string;
  targetCompId: string;
  /** HeartBtInt (108) this side asks for at logon, seconds; an acceptor takes the initiator's. */
  heartBtIntS: number;
  /** How far a message's SendingTime (52) may be from this clock, seconds (Reject 373=10 beyond). */
  sendingTimeToleranceS: number;
  /** Both sides start again from 1 at every logon (ResetSeqNumFlag 141=Y sent at logon). */
  resetOnLogon: boolean;
  /** Sequence numbers back to 1 after a logout / a disconnect. */
  resetOnLogout: boolean;
  resetOnDisconnect: boolean;
  /** The session's daily end, "HH:MM:SS" UTC: a session created before the last one starts again from 1. */
  dailyResetUtc: string | null;
  /** A logon not answered within this is given up (disconnect), seconds. */
  logonTimeoutS: number;
  /** A logout not answered within this ends with a disconnect, seconds. */
  logoutTimeoutS: number;
  /** Messages received ahead of a gap kept until the gap is filled (beyond: dropped; the resend brings them). */
  maxQueued: number;
}

export const SESSION_DEFAULTS = {
  beginString: 'FIX.4.4',
  heartBtIntS: 30,
  sendingTimeToleranceS: 120,
  resetOnLogon: false,
  resetOnLogout: false,
  resetOnDisconnect: false,
  dailyResetUtc: null,
  logonTimeoutS: 10,
  logoutTimeoutS: 2,
  maxQueued: 10_000,
} as const satisfies Partial<SessionConfig>;

export type SessionSettings = Pick<SessionConfig, 'role' | 'senderCompId' | 'targetCompId'> & Partial<SessionConfig>;

export const sessionConfig = (s: SessionSettings): SessionConfig => ({ ...SESSION_DEFAULTS, ...s });

/** A file-safe id for the session's store files. */
export const sessionId = (c: SessionConfig): string =>
  `${c.beginString}-${c.senderCompId}-${c.targetCompId}`.replace(/[^A-Za-z0-9._-]/g, '_');

/** The latest daily reset boundary at or before `now` (epoch ms), or -Infinity without one. */
export function lastResetBefore(dailyResetUtc: string | null, now: number): number {
  if (dailyResetUtc === null) return -Infinity;
  const [h, m, s] = dailyResetUtc.split(':').map(Number);
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), h, m, s);
  return today <= now ? today : today - 86_400_000;
}
