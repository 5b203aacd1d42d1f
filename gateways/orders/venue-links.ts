// The router's FIX sessions to its venues: one initiator per venue of config/venues.json, its
// sequence numbers and sent messages in a file store under the router's directory, so a killed
// router comes back on the same sequence numbers and can answer a resend of anything it sent.

import { join } from 'node:path';
import type { Logger } from 'pino';
import type { VenueDef } from '../../config/schema.js';
import type { FieldList } from '../fix/codec/fields.js';
import { sessionConfig, sessionId } from '../fix/session/config.js';
import { FixSession, type Body, type SessionEvent } from '../fix/session/session.js';
import { FileSessionStore } from '../fix/session/store.js';
import { initiatorTls } from '../fix/session/tls.js';
import { FixInitiator } from '../fix/session/transport.js';
import type { VenueLink } from './router.js';

export class FixVenueLink implements VenueLink {
  readonly session: FixSession;
  private readonly initiator: FixInitiator;

  constructor(
    readonly def: VenueDef,
    o: {
      dir: string;
      fsync: boolean;
      logger: Logger;
      onMessage(venue: string, msgType: string, f: FieldList): void;
      onEvent?(venue: string, e: SessionEvent): void;
      reconnectMs?: { min: number; max: number };
    },
  ) {
    const fix = def.fix;
    const config = sessionConfig({
      role: 'initiator',
      senderCompId: fix.senderCompId,
      targetCompId: fix.targetCompId,
      heartBtIntS: fix.heartbeatSec,
    });
    const store = new FileSessionStore({ dir: join(o.dir, 'fix'), id: sessionId(config), fsync: o.fsync });
    this.session = new FixSession(config, store, {
      onMessage: (msgType, f) => o.onMessage(def.id, msgType, f),
      onEvent: (e) => {
        if (e.type === 'logon') this.initiator.loggedOn();
        const level = e.type === 'logon' || e.type === 'logout' || e.type === 'resent' ? 'info' : 'warn';
        o.logger[level]({ venue: def.id, event: e }, `venue ${def.id}: FIX ${e.type}`);
        o.onEvent?.(def.id, e);
      },
    });
    this.initiator = new FixInitiator(this.session, {
      host: fix.host,
      port: fix.port,
      tls: fix.tls === null ? undefined : initiatorTls(fix.tls, fix.host, `venues.${def.id}.fix.tls`),
      reconnectMs: o.reconnectMs ?? { min: 500, max: 10_000 },
      onError: (err) => o.logger.warn({ venue: def.id, err: err.message }, `venue ${def.id}: FIX connection failed`),
    });
  }

  get id(): string {
    return this.def.id;
  }

  up(): boolean {
    return this.session.loggedOn;
  }

  send(msgType: 'D' | 'F' | 'G', body: Body): void {
    this.session.send(msgType, body);
  }

  /** Logout and stop. */
  stop(): Promise<void> {
    return this.initiator.stop();
  }
}
