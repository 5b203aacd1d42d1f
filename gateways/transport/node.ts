// The fallback server: node:http for requests and the `ws` package for WebSockets, behind the
// Transport interface. Slower than uWebSockets.js (every send is a JavaScript write), but needs no
// native code. Cork/uncork of the TCP socket batches a round's sends into one write.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { RisklineError } from '../../errors/catalogue.js';
import { errorReply, type HttpReply, type HttpRequest } from '../route.js';
import {
  type Hub,
  type Socket,
  type StreamOptions,
  type Transport,
  type TransportOptions,
  type UpgradeRequest,
} from './transport.js';

const WS_VERSION = (WebSocket as unknown as { VERSION?: string }).VERSION ?? '8';

/** Send options, made once: a send per client per frame must not allocate them. */
const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new RisklineError('PAYLOAD_TOO_LARGE', `request bodies here are limited to ${limit} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // The rest is drained, not read (destroying the request would lose the 413 with the socket).
      req.off('data', onData).off('end', onEnd);
      req.resume();
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd).once('error', reject);
  });
}

function requestOf(req: IncomingMessage, maxBodyBytes: number): HttpRequest {
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  return {
    method,
    url: new URL(req.url ?? '/', 'http://localhost'),
    header: (name) => header(req, name),
    remoteAddress: req.socket.remoteAddress ?? '',
    body: (limit) => readBody(req, Math.min(limit, maxBodyBytes)),
  };
}

function write(res: ServerResponse, reply: HttpReply, head: boolean): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': body.byteLength });
  res.end(head ? undefined : body);
}

/** Writes a refused upgrade as a plain HTTP reply and closes the socket. */
function refuse(socket: Duplex, reply: HttpReply): void {
  if (socket.destroyed) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : Buffer.from(reply.body);
  const headers = Object.entries({ ...reply.headers, connection: 'close', 'content-length': String(body.length) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${reply.status} Refused\r\n${headers}\r\n`), body]));
}

class NodeSocket implements Socket {
  /** Corked by the hub for the open round. */
  corked = false;
  constructor(
    readonly ws: WebSocket,
    readonly remoteAddress: string,
  ) {}
  /** The TCP socket under the connection (ws keeps it as `_socket`). */
  tcp(): Duplex | undefined {
    return (this.ws as unknown as { _socket?: Duplex })._socket;
  }
  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
  bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
  send(data: Uint8Array | string, binary: boolean): void {
    if (this.open) this.ws.send(data, binary ? BINARY : TEXT);
  }
  ping(data: string): void {
    if (this.open) this.ws.ping(data);
  }
  cork(fn: () => void): void {
    const tcp = this.tcp();
    tcp?.cork();
    try {
      fn();
    } finally {
      tcp?.uncork();
    }
  }
  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }
  terminate(): void {
    this.ws.terminate();
  }
}

/** What ws reports when a client's message exceeds maxPayload; it then closes with 1009. */
const OVERSIZED = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/** ws closes an oversized message's connection with 1009 but no reason; its `WebSocket` option lets ours add one. */
function socketClass(reason: string): typeof WebSocket {
  return class StreamSocket extends WebSocket {
    override close(code?: number, data?: string | Buffer): void {
      super.close(code, code === 1009 && data === undefined ? reason : data);
    }
  };
}

/** Topics in JavaScript: a Set of sockets each, sockets corked while a round is open. */
class NodeHub implements Hub {
  private readonly topics = new Map<string, Set<NodeSocket>>();
  private depth = 0;
  /** Sockets whose TCP socket is corked for the open round. */
  private readonly corked: NodeSocket[] = [];

  subscribe(socket: Socket, topic: string): void {
    let set = this.topics.get(topic);
    if (set === undefined) this.topics.set(topic, (set = new Set()));
    set.add(socket as NodeSocket);
  }

  unsubscribe(socket: Socket, topic: string): void {
    const set = this.topics.get(topic);
    if (set === undefined) return;
    set.delete(socket as NodeSocket);
    if (set.size === 0) this.topics.delete(topic);
  }

  publish(topic: string, data: Uint8Array | string, binary: boolean): void {
    const set = this.topics.get(topic);
    if (set === undefined) return;
    const options = binary ? BINARY : TEXT;
    for (const s of set) {
      if (!s.open) continue;
      if (this.depth > 0 && !s.corked) {
        s.tcp()?.cork();
        s.corked = true;
        this.corked.push(s);
      }
      s.ws.send(data, options);
    }
  }

  beginRound(): void {
    this.depth++;
  }

  endRound(): void {
    if (--this.depth > 0) return;
    for (const s of this.corked) {
      s.tcp()?.uncork();
      s.corked = false;
    }
    this.corked.length = 0;
  }
}

function attachStream<U>(server: Server, s: StreamOptions<U>): { close(): Promise<void> } {
  const wss = new WebSocketServer({
    noServer: true,
    WebSocket: socketClass(s.tooLargeReason),
    maxPayload: s.maxPayloadBytes,
    perMessageDeflate: false,
    clientTracking: true,
    // The protocol is chosen in the upgrade handler; ws asks here and gets that answer back.
    handleProtocols: (_offered, req) => (req as IncomingMessage & { chosen?: string | null }).chosen ?? false,
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== s.path) {
      const err = new RisklineError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}; use ${s.path}`);
      return refuse(socket, errorReply(err));
    }
    const up: UpgradeRequest = {
      method: 'GET',
      url,
      header: (name) => header(req, name),
      remoteAddress: req.socket.remoteAddress ?? '',
    };
    s.handlers.upgrade(up).then(
      (answer) => {
        if (socket.destroyed) return;
        if (!answer.accept) return refuse(socket, answer.reply);
        (req as IncomingMessage & { chosen?: string | null }).chosen = answer.protocol;
        wss.handleUpgrade(req, socket, head, (ws) => connected(ws, answer.user, up.remoteAddress));
      },
      () => refuse(socket, errorReply(new RisklineError('INTERNAL', 'upgrade failed'))),
    );
  };
  const connected = (ws: WebSocket, user: U, remoteAddress: string): void => {
    const socket = new NodeSocket(ws, remoteAddress);
    let alive = true;
    ws.on('pong', (data) => {
      alive = true;
      s.handlers.pong?.(socket, user, data.toString());
    });
    ws.on('message', (data, binary) => {
      alive = true;
      const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      s.handlers.message(socket, user, raw, binary);
    });
    ws.on('close', (code) => {
      clearInterval(heartbeat);
      s.handlers.close(socket, user, code);
    });
    // ws closes the connection itself; an oversized message is the one error the handlers hear of.
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === OVERSIZED) s.handlers.oversized?.(socket, user);
    });
    // A ping every half idle period; no answer by the next one ends the connection.
    const heartbeat = setInterval(
      () => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      },
      (s.idleTimeoutS * 1000) / 2,
    );
    heartbeat.unref();
    s.handlers.open(socket, user);
  };
  server.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

export async function startNodeTransport<U>(o: TransportOptions<U>): Promise<Transport> {
  const server = createServer({ maxHeaderSize: 16 * 1024 });
  server.on('clientError', (_err, socket: Duplex) => {
    if ((socket as Duplex & { writable: boolean }).writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    o.http(requestOf(req, o.maxBodyBytes)).then(
      (reply) => write(res, reply, req.method === 'HEAD'),
      () => res.destroy(),
    );
  });
  const stream = o.stream ? attachStream(server, o.stream) : null;
  const hub = new NodeHub();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    kind: 'ws',
    hub,
    port: (server.address() as AddressInfo).port,
    detail: `node:http + ws ${WS_VERSION}`,
    close: async () => {
      await stream?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
