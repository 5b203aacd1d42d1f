// Real servers for gateway tests: the router or a StreamServer on a transport (uWS by default),
// identity from gateways/identity with a test secret, and tokens signed for it.
import type { Test } from 'tap';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { authSchema, type AuthConfig } from '../../../config/schema.js';
import { ChannelStore } from '../../../gateways/channels.js';
import { authenticatorFor, signToken } from '../../../gateways/identity/index.js';
import { createGatewayMetrics } from '../../../gateways/metrics.js';
import { JSON_SUBPROTOCOL, MSGPACK_SUBPROTOCOL, STREAM_PATH } from '../../../gateways/protocol.js';
import type { Route } from '../../../gateways/route.js';
import { createRouter } from '../../../gateways/router.js';
import { StreamServer, type StreamServerOptions } from '../../../gateways/stream-server.js';
import { startTransport, type TransportKind } from '../../../gateways/transport/index.js';

export const SECRET = 'gateway-test-secret-of-32-bytes!';
export const logger = pino({ level: 'silent' });

export function authConfig(over: Record<string, unknown> = { jwtSecret: SECRET }): AuthConfig {
  return authSchema.parse(over);
}

/** A token for `portfolios`, valid `ttlS` seconds, as `riskline token` signs it. */
export function token(portfolios: readonly string[] | '*', ttlS = 600, subject = 'tester'): Promise<string> {
  return signToken({ secret: SECRET, subject, portfolios, issuer: 'riskline', audience: 'riskline', ttlS });
}

/** The router over `routes` on a real server; resolves with its base URL. */
export async function httpServer(t: Test, routes: Route[], auth = authConfig(), kind: TransportKind = 'uws') {
  const authenticator = authenticatorFor(auth, '127.0.0.1');
  const { transport } = await startTransport(kind, {
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1 << 20,
    http: createRouter({ routes, authenticate: (req) => authenticator.authenticate(req.header, req.url), logger }),
  });
  t.teardown(() => transport.close());
  return `http://127.0.0.1:${transport.port}`;
}

/** A StreamServer on a real server; resolves with its ws:// URL and the server. */
export async function streamServer(
  t: Test,
  over: Partial<StreamServerOptions> = {},
  auth = authConfig(),
  kind: TransportKind = 'uws',
) {
  const authenticator = authenticatorFor(auth, '127.0.0.1', { subprotocols: [MSGPACK_SUBPROTOCOL, JSON_SUBPROTOCOL] });
  const streams = new StreamServer({
    store: new ChannelStore({ portfolios: ['A', 'B'], instruments: ['AAPL'] }),
    metrics: createGatewayMetrics(new Registry()),
    logger,
    maxPayloadBytes: 64 * 1024,
    slowClientBufferBytes: 1 << 20,
    authenticateUpgrade: (req) => authenticator.authenticateUpgrade(req.header, req.url),
    open: authenticator.mode === 'open',
    ...over,
  });
  const { transport } = await startTransport(kind, {
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1 << 20,
    http: async () => ({ status: 404, body: '' }),
    stream: {
      path: STREAM_PATH,
      handlers: streams.handlers,
      maxPayloadBytes: 64 * 1024,
      tooLargeReason: 'PAYLOAD_TOO_LARGE',
      idleTimeoutS: 60,
    },
  });
  streams.attach(transport.hub);
  t.teardown(async () => {
    streams.close();
    await transport.close();
  });
  return { url: `ws://127.0.0.1:${transport.port}${STREAM_PATH}`, streams, transport };
}
