// The primary server: uWebSockets.js (npm @trufflesuite/uws-js-unofficial), HTTP and WebSocket on
// one port, every send a C++ write. Its package silently swaps in a slow JavaScript shim when the
// native build does not load; loadUws() refuses the shim so the caller falls back to `ws` and says so.
// uWS objects are only valid inside their callbacks: headers are copied at once, message data is
// copied before it is handed on, and a socket is never touched after its close callback.

import { createRequire } from 'node:module';
import { STATUS_CODES } from 'node:http';
import { RisklineError } from '../../errors/catalogue.js';
import type { HttpReply, HttpRequest } from '../route.js';
import {
  type Hub,
  type Socket,
  type StreamOptions,
  type Transport,
  type TransportOptions,
  type UpgradeRequest,
} from './transport.js';

type Uws = typeof import('@trufflesuite/uws-js-unofficial');
type UwsResponse = import('@trufflesuite/uws-js-unofficial').HttpResponse;
type UwsRequest = import('@trufflesuite/uws-js-unofficial').HttpRequest;
type UwsSocket = import('@trufflesuite/uws-js-unofficial').WebSocket<Slot<unknown>>;

const require = createRequire(import.meta.url);

/** The native uWS module, or why it cannot run here (not installed, or only the JavaScript shim loads). */
export function loadUws(): { uws: Uws; version: string } | { unavailable: string } {
  let uws: Uws;
  try {
    uws = require('@trufflesuite/uws-js-unofficial') as Uws;
  } catch (err) {
    return { unavailable: `uWebSockets.js not installed: ${(err as Error).message.split('\n')[0]}` };
  }
  if (!String(uws.App).includes('[native code]'))
    return { unavailable: `uWebSockets.js has no native build for Node ABI ${process.versions.modules} here` };
  const version = (require('@trufflesuite/uws-js-unofficial/package.json') as { version: string }).version;
  return { uws, version };
}

/** What a connection carries in uWS's user data: the stream handlers' own, and our Socket once open. */
interface Slot<U> {
  user: U;
  remoteAddress: string;
  socket?: UwsSocketWrapper;
}

class UwsSocketWrapper implements Socket {
  closed = false;
  constructor(
    private readonly ws: UwsSocket,
    readonly remoteAddress: string,
  ) {}
  get open(): boolean {
    return !this.closed;
  }
  bufferedAmount(): number {
    return this.closed ? 0 : this.ws.getBufferedAmount();
  }
  send(data: Uint8Array | string, binary: boolean): void {
    if (!this.closed) this.ws.send(data, binary, false);
  }
  ping(data: string): void {
    if (!this.closed) this.ws.ping(data);
  }
  cork(fn: () => void): void {
    if (this.closed) fn();
    else this.ws.cork(fn);
  }
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.end(code, reason);
  }
  terminate(): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close();
  }
  subscribe(topic: string): void {
    if (!this.closed) this.ws.subscribe(topic);
  }
  unsubscribe(topic: string): void {
    if (!this.closed) this.ws.unsubscribe(topic);
  }
}

/** uWS's own topic tree: a publish is written to each subscriber with its other messages of the loop iteration. */
class UwsHub implements Hub {
  constructor(private readonly app: ReturnType<Uws['App']>) {}
  subscribe(socket: Socket, topic: string): void {
    (socket as UwsSocketWrapper).subscribe(topic);
  }
  unsubscribe(socket: Socket, topic: string): void {
    (socket as UwsSocketWrapper).unsubscribe(topic);
  }
  publish(topic: string, data: Uint8Array | string, binary: boolean): void {
    this.app.publish(topic, data, binary, false);
  }
  beginRound(): void {}
  endRound(): void {}
}

const text = (ab: ArrayBuffer): string => Buffer.from(ab).toString();

/** Every header of a request, copied (uWS's request object dies when the handler returns). */
function headersOf(req: UwsRequest): Map<string, string> {
  const h = new Map<string, string>();
  req.forEach((k, v) => {
    if (!h.has(k)) h.set(k, v);
  });
  return h;
}

function urlOf(req: UwsRequest): URL {
  const q = req.getQuery();
  return new URL(req.getUrl() + (q ? `?${q}` : ''), 'http://localhost');
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Buffers a request body as uWS streams it (it must be read from inside the handler), at most `max` bytes. */
function bodyReader(
  res: UwsResponse,
  method: string,
  declared: number,
  max: number,
): (limit: number) => Promise<Buffer> {
  if (!BODY_METHODS.has(method)) return () => Promise.resolve(Buffer.alloc(0));
  const chunks: Buffer[] = [];
  let size = 0;
  let over = declared > max;
  const done = new Promise<void>((resolve) => {
    res.onData((chunk, last) => {
      size += chunk.byteLength;
      if (size > max) over = true;
      else chunks.push(Buffer.from(new Uint8Array(chunk))); // a copy: uWS reuses the chunk's memory
      if (last) resolve();
    });
  });
  return async (limit) => {
    const cap = Math.min(limit, max);
    const tooLarge = new RisklineError('PAYLOAD_TOO_LARGE', `request bodies here are limited to ${cap} bytes`);
    if (declared > cap) throw tooLarge;
    await done;
    if (over || size > cap) throw tooLarge;
    return Buffer.concat(chunks);
  };
}

function writeReply(res: UwsResponse, reply: HttpReply, head: boolean): void {
  res.writeStatus(`${reply.status} ${STATUS_CODES[reply.status] ?? ''}`);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.writeHeader(k, v);
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  if (head) res.endWithoutBody(body.byteLength);
  else res.end(body);
}

function serveHttp<U>(uws: Uws, app: ReturnType<Uws['App']>, o: TransportOptions<U>): void {
  app.any('/*', (res, req) => {
    let aborted = false;
    res.onAborted(() => (aborted = true));
    const raw = req.getMethod().toUpperCase();
    const headers = headersOf(req);
    const request: HttpRequest = {
      method: raw === 'HEAD' ? 'GET' : raw,
      url: urlOf(req),
      header: (name) => headers.get(name),
      remoteAddress: text(res.getRemoteAddressAsText()),
      body: bodyReader(res, raw, Number(headers.get('content-length') ?? 0), o.maxBodyBytes),
    };
    o.http(request).then(
      (reply) => {
        if (!aborted) res.cork(() => writeReply(res, reply, raw === 'HEAD'));
      },
      () => {
        if (!aborted) res.close();
      },
    );
  });
  void uws;
}

function serveStream<U>(uws: Uws, app: ReturnType<Uws['App']>, s: StreamOptions<U>): Set<UwsSocketWrapper> {
  const open = new Set<UwsSocketWrapper>();
  app.ws<Slot<U>>(s.path, {
    compression: uws.DISABLED,
    // uWS ends an over-limit message's connection with no close frame (1006); up to twice the limit
    // the message is taken and refused here with 1009 and the reason, as on `ws`.
    maxPayloadLength: 2 * s.maxPayloadBytes,
    idleTimeout: s.idleTimeoutS,
    sendPingsAutomatically: true,
    // Slow clients are conflated above this layer long before; uWS must never drop a send itself.
    maxBackpressure: 1024 * 1024 * 1024,
    closeOnBackpressureLimit: 0,
    upgrade: (res, req, context) => {
      let aborted = false;
      res.onAborted(() => (aborted = true));
      const headers = headersOf(req);
      const key = headers.get('sec-websocket-key') ?? '';
      const extensions = headers.get('sec-websocket-extensions') ?? '';
      const remoteAddress = text(res.getRemoteAddressAsText());
      const up: UpgradeRequest = {
        method: 'GET',
        url: urlOf(req),
        header: (n) => headers.get(n),
        remoteAddress,
      };
      s.handlers.upgrade(up).then(
        (answer) => {
          if (aborted) return;
          res.cork(() => {
            if (!answer.accept) return writeReply(res, answer.reply, false);
            res.upgrade<Slot<U>>({ user: answer.user, remoteAddress }, key, answer.protocol ?? '', extensions, context);
          });
        },
        () => {
          if (!aborted) res.close();
        },
      );
    },
    open: (ws) => {
      const slot = ws.getUserData();
      const socket = new UwsSocketWrapper(ws as unknown as UwsSocket, slot.remoteAddress);
      slot.socket = socket;
      open.add(socket);
      s.handlers.open(socket, slot.user);
    },
    message: (ws, data, binary) => {
      const slot = ws.getUserData();
      if (data.byteLength > s.maxPayloadBytes) {
        slot.socket!.close(1009, s.tooLargeReason);
        return;
      }
      // A copy: uWS frees the message's memory when this callback returns.
      s.handlers.message(slot.socket!, slot.user, Buffer.from(new Uint8Array(data)), binary);
    },
    pong: (ws, message) => {
      const slot = ws.getUserData();
      s.handlers.pong?.(slot.socket!, slot.user, text(message));
    },
    drain: (ws) => {
      const slot = ws.getUserData();
      s.handlers.drain?.(slot.socket!, slot.user);
    },
    close: (ws, code, message) => {
      const slot = ws.getUserData();
      const socket = slot.socket!;
      socket.closed = true;
      open.delete(socket);
      if (code === 1009 || (code === 1006 && text(message).includes('too big')))
        s.handlers.oversized?.(socket, slot.user);
      s.handlers.close(socket, slot.user, code);
    },
  });
  return open;
}

export async function startUwsTransport<U>(uws: Uws, version: string, o: TransportOptions<U>): Promise<Transport> {
  const app = uws.App();
  const sockets = o.stream ? serveStream(uws, app, o.stream) : new Set<UwsSocketWrapper>();
  serveHttp(uws, app, o);
  const token = await new Promise<unknown>((resolve, reject) => {
    // Exclusive: without it uWS sets SO_REUSEPORT, and a second server on a port in use starts and
    // silently shares its connections with the first.
    (app.listen as unknown as (h: string, p: number, opt: number, cb: (t: unknown) => void) => void)(
      o.host,
      o.port,
      (uws as unknown as { LIBUS_LISTEN_EXCLUSIVE_PORT: number }).LIBUS_LISTEN_EXCLUSIVE_PORT, // not in its typings
      (t) => {
        if (t) resolve(t);
        // uWS gives no errno: in use is by far the likeliest (a host that is not local is the other).
        else reject(new Error(`listen failed: address already in use or not available ${o.host}:${o.port}`));
      },
    );
  });
  return {
    kind: 'uws',
    hub: new UwsHub(app),
    port: uws.us_socket_local_port(token as Parameters<Uws['us_socket_local_port']>[0]),
    detail: `uWebSockets.js ${version} (native)`,
    close: async () => {
      uws.us_listen_socket_close(token as Parameters<Uws['us_listen_socket_close']>[0]);
      for (const s of [...sockets]) s.terminate();
      (app as unknown as { close(): void }).close(); // in the native build, not in its typings
    },
  };
}
