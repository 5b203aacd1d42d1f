// What the gateway needs from a server, whichever carries it: uWebSockets.js (uws.ts, the default)
// or node:http with the `ws` package (node.ts, the fallback). HTTP requests go to one function that
// returns the reply as a value (gateways/router.ts); WebSocket connections to a set of handlers
// over a small Socket interface. Nothing above this folder knows which server runs.

import type { HttpReply, HttpRequest } from '../route.js';

export type TransportKind = 'uws' | 'ws';

/** One WebSocket connection, as the stream server uses it. */
export interface Socket {
  readonly remoteAddress: string;
  /** False once the connection is closing or closed: sends are dropped then. */
  readonly open: boolean;
  /** Bytes accepted by send() and not yet written to the kernel. */
  bufferedAmount(): number;
  send(data: Uint8Array | string, binary: boolean): void;
  /** A ping carrying `data` (at most 125 bytes), queued behind what was sent before it. */
  ping(data: string): void;
  /** Runs `fn` with this connection's sends written together (one syscall). */
  cork(fn: () => void): void;
  /** A close frame with a code and a reason (at most 123 bytes), then the connection ends. */
  close(code: number, reason: string): void;
  /** Drops the connection at once. */
  terminate(): void;
}

/** An upgrade request: the HTTP request that asks for a WebSocket (its Sec-WebSocket-Protocol is read by the handlers). */
export type UpgradeRequest = Omit<HttpRequest, 'body'>;

/** Accept with the connection's own data and the chosen subprotocol (null: none), or refuse with a reply. */
export type UpgradeAnswer<U> = { accept: true; user: U; protocol: string | null } | { accept: false; reply: HttpReply };

export interface StreamHandlers<U> {
  upgrade(req: UpgradeRequest): Promise<UpgradeAnswer<U>>;
  open(socket: Socket, user: U): void;
  message(socket: Socket, user: U, data: Buffer, binary: boolean): void;
  /** The connection's buffer drained below the transport's mark (uws), or a drain check found it empty (ws). */
  drain?(socket: Socket, user: U): void;
  /** The client answered a ping (its payload, as text). */
  pong?(socket: Socket, user: U, data: string): void;
  /** A client message passed maxPayloadBytes: the transport closes the connection with 1009 and `tooLargeReason`. */
  oversized?(socket: Socket, user: U): void;
  close(socket: Socket, user: U, code: number): void;
}

export interface StreamOptions<U> {
  path: string;
  handlers: StreamHandlers<U>;
  /** Largest client message, fragments included; larger closes the connection with 1009. */
  maxPayloadBytes: number;
  /** The close reason sent with 1009 (at most 123 bytes). */
  tooLargeReason: string;
  /** A connection silent this long (no message, no pong) is closed; pings are sent in between. */
  idleTimeoutS: number;
}

export interface TransportOptions<U> {
  host: string;
  port: number;
  http(req: HttpRequest): Promise<HttpReply>;
  /** Largest request body read; the route's own limit can only be lower. */
  maxBodyBytes: number;
  stream?: StreamOptions<U>;
}

/**
 * Topic fan-out: one publish reaches every socket subscribed to a topic. On uWS the topic tree does
 * it in C++ and writes each socket's messages of a loop iteration together; on `ws` a JavaScript
 * loop does it, each socket corked from beginRound to endRound.
 */
export interface Hub {
  subscribe(socket: Socket, topic: string): void;
  unsubscribe(socket: Socket, topic: string): void;
  publish(topic: string, data: Uint8Array | string, binary: boolean): void;
  beginRound(): void;
  endRound(): void;
}

export interface Transport {
  readonly kind: TransportKind;
  readonly hub: Hub;
  /** The port listened on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  /** What runs, for the start-up log: "uWebSockets.js 20.30 (native)" or "node:http + ws 8.x". */
  readonly detail: string;
  close(): Promise<void>;
}
