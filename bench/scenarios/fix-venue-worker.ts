// The FIX round-trip benchmark's venue: Riskline's acceptor and venue simulator on a thread of
// their own (an event loop apart from the client's, as a separate process would be), quoting deep
// house liquidity in one instrument, persisting every message to its session store.
import { parentPort, workerData } from 'node:worker_threads';
import { sessionConfig, sessionId } from '../../gateways/fix/session/config.js';
import { FixSession } from '../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../gateways/fix/session/store.js';
import { FixAcceptor } from '../../gateways/fix/session/transport.js';
import { Venue } from '../../gateways/fix/venue/venue.js';

export interface VenueWorkerData {
  port: number;
  storeDir: string;
  senderCompId: string;
  targetCompId: string;
  fsync: boolean;
}

const d = workerData as VenueWorkerData;
const venue = new Venue(d.senderCompId, new Set(['AAPL']));
// Deep enough that the client's orders (which take 1 share each) never empty it.
venue.quote('AAPL', 190, 190.1, { levels: 5, qty: 10_000_000, step: 0.0005 });
const config = sessionConfig({
  role: 'acceptor',
  senderCompId: d.senderCompId,
  targetCompId: d.targetCompId,
  heartBtIntS: 30,
});
const store = new FileSessionStore({ dir: d.storeDir, id: sessionId(config), fsync: d.fsync });
const session: FixSession = new FixSession(config, store, {
  onMessage: (msgType, f) => venue.onMessage(session, msgType, f),
});
const acceptor = new FixAcceptor({
  host: '127.0.0.1',
  port: d.port,
  sessionFor: (their) => (their === d.targetCompId ? session : undefined),
});
await acceptor.listen();
parentPort!.postMessage('ready');
parentPort!.on('message', (m) => {
  if (m === 'stop') void acceptor.close().then(() => (store.close(), process.exit(0)));
});
