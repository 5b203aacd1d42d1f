// A free loopback TCP port, for servers started by tests, benchmarks and the dev tools (the OS picks
// one, the probe closes, the caller binds it: a race in principle, never seen in practice here).
import { createServer, type AddressInfo } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
