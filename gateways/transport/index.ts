// Starts the configured server: uWebSockets.js unless `ws` is asked for or uWS's native build does
// not load here (then `ws`, and the reason is returned for the start-up log).

import { startNodeTransport } from './node.js';
import type { Transport, TransportKind, TransportOptions } from './transport.js';
import { loadUws, startUwsTransport } from './uws.js';

export type { Hub, Socket, StreamHandlers, Transport, TransportKind, UpgradeRequest } from './transport.js';

export async function startTransport<U>(
  kind: TransportKind,
  o: TransportOptions<U>,
): Promise<{ transport: Transport; fellBack: string | null }> {
  if (kind === 'ws') return { transport: await startNodeTransport(o), fellBack: null };
  const loaded = loadUws();
  if ('unavailable' in loaded) return { transport: await startNodeTransport(o), fellBack: loaded.unavailable };
  return { transport: await startUwsTransport(loaded.uws, loaded.version, o), fellBack: null };
}
