// The TCP (or TLS) glue of FIX sessions: bytes from a socket through the framer into a session,
// the session's bytes back to the socket, a timer for heartbeats. An initiator reconnects with
// backoff; an acceptor routes each connection by the CompIDs of its first message to the session
// configured for them, and refuses a second connection to a session already connected.

import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import {
  connect as tlsConnect,
  createServer as createTlsServer,
  type ConnectionOptions,
  type TlsOptions,
} from 'node:tls';
import { FieldList } from '../codec/fields.js';
import { FixFramer } from '../codec/framer.js';
import { parseMessage } from '../codec/parser.js';
import type { FixSession } from './session.js';

/** How often sessions are told the time (heartbeats, TestRequest, timeouts are checked). */
const TICK_MS = 200;

/** Wires one connected socket to one session until either ends. */
function attach(socket: Socket, session: FixSession, framer: FixFramer, onClose: () => void): void {
  socket.setNoDelay(true);
  session.connected({
    write: (bytes: Buffer) => void socket.write(bytes),
    disconnect: () => void socket.end(() => socket.destroy()),
  });
  const timer = setInterval(() => session.tick(), TICK_MS);
  timer.unref();
  socket.on('data', (chunk: Buffer) => {
    try {
      framer.push(
        chunk,
        (buf, s, e) => session.receive(buf, s, e),
        (why) => session.garbled(why),
      );
    } catch (err) {
      // A fault of ours on their input must not take the process down: this connection ends instead.
      session.garbled(`internal error on input: ${(err as Error).message}`);
      socket.destroy();
    }
  });

  socket.once('close', () => {
    clearInterval(timer);
    framer.clear();
    session.disconnected();
    onClose();
  });
  socket.on('error', () => undefined); // 'close' follows; the session reports the disconnect
}

export interface InitiatorOptions {
  host: string;
  port: number;
  tls?: ConnectionOptions;
  /** Reconnect backoff: first wait, doubling to the cap, back to the first after a logon. */
  reconnectMs?: { min: number; max: number };
  maxMessageBytes?: number;
  /** Why a connection attempt failed or ended (refused, a TLS certificate not trusted...). */
  onError?(err: Error): void;
}

export class FixInitiator {
  /** Ends the connection now, with no Logout, and stops reconnecting: what a killed process does. */
  kill(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.socket?.destroy();
  }

  private socket: Socket | null = null;
  private stopped = false;
  private wait: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly session: FixSession,
    private readonly o: InitiatorOptions,
  ) {
    this.wait = o.reconnectMs?.min ?? 1000;
    this.connect();
  }

  /** Logs out (waits for the answer or the logout timeout), then stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    const socket = this.socket;
    if (socket === null) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (this.session.loggedOn) this.session.logout('stopping');
    else socket.destroy();
    const limit = setTimeout(() => socket.destroy(), (this.session.config.logoutTimeoutS + 1) * 1000);
    await closed;
    clearTimeout(limit);
  }

  private connect(): void {
    const { host, port } = this.o;
    const socket = this.o.tls ? tlsConnect({ host, port, ...this.o.tls }) : tcpConnect({ host, port });
    this.socket = socket;
    const framer = new FixFramer(this.o.maxMessageBytes);
    let attached = false;
    socket.once(this.o.tls ? 'secureConnect' : 'connect', () => {
      attached = true;
      attach(socket, this.session, framer, () => this.closed());
    });
    socket.on('error', (err) => this.o.onError?.(err)); // 'close' follows
    socket.once('close', () => attached || this.closed());
  }

  private closed(): void {
    this.socket = null;
    if (this.stopped) return;
    if (this.session.state !== 'disconnected') this.session.disconnected();
    const wait = this.wait;
    // A session that logged on starts its backoff again; one that keeps failing waits longer each time.
    this.wait = Math.min(this.o.reconnectMs?.max ?? 30_000, wait * 2);
    this.timer = setTimeout(() => this.connect(), wait);
    this.timer.unref();
  }

  /** Called by the owner when the session logs on, so the next outage starts with a short wait. */
  loggedOn(): void {
    this.wait = this.o.reconnectMs?.min ?? 1000;
  }
}

export interface AcceptorOptions {
  host: string;
  port: number;
  tls?: TlsOptions;
  maxMessageBytes?: number;
  /** The session for a connection whose first message comes from `senderCompId` to `targetCompId`. */
  sessionFor(senderCompId: string, targetCompId: string): FixSession | undefined;
  onRefused?(why: string): void;
}

export class FixAcceptor {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly busy = new Set<FixSession>();

  constructor(private readonly o: AcceptorOptions) {
    this.server = o.tls ? createTlsServer(o.tls, (s) => this.accept(s)) : createServer((s) => this.accept(s));
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        const a = this.server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : this.o.port);
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.busy) if (s.loggedOn) s.logout('acceptor stopping');
    await new Promise((r) => setTimeout(r, 50));
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Holds the first bytes until a whole message names the CompIDs, then hands the socket over. */
  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const framer = new FixFramer(this.o.maxMessageBytes);
    const first = new FieldList();
    let session: FixSession | undefined;
    let why = '';
    const onMessage = (buf: Buffer, s: number, e: number) => {
      // Messages after the first in the same read go straight to the session.
      if (session !== undefined) return session.receive(buf, s, e);
      if (why !== '') return;
      parseMessage(buf, s, e, first);
      // Their SenderCompID is our TargetCompID.
      const their = first.get(49) ?? '';
      const ours = first.get(56) ?? '';
      const found = this.o.sessionFor(their, ours);
      if (found === undefined) why = `no session for ${their} → ${ours}`;
      else if (this.busy.has(found)) why = `session ${their} → ${ours} is already connected`;
      else {
        session = found;
        this.busy.add(found);
        // Its own 'data' listener takes the next reads; this one is removed once this read is done.
        attach(socket, found, framer, () => this.busy.delete(found));
        found.receive(buf, s, e);
      }
    };
    const onData = (chunk: Buffer) => {
      framer.push(chunk, onMessage, () => undefined);
      if (why !== '') {
        this.o.onRefused?.(why);
        socket.destroy();
      }
      if (session !== undefined || why !== '') socket.off('data', onData);
    };
    socket.on('data', onData);
  }
}
