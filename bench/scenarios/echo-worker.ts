// The FIX round trip's machine limit: a TCP echo on a thread of its own, nothing else (no FIX, no
// store, no matching). The client paces fixed-size messages to it exactly as it paces orders, so
// the echo's latency is the floor the loopback, the two shared cores and Node's event loops set.
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => undefined);
});
server.listen((workerData as { port: number }).port, '127.0.0.1', () => parentPort!.postMessage('ready'));
parentPort!.on('message', (m) => {
  if (m === 'stop') server.close(() => process.exit(0));
});
