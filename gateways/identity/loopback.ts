// Whether a listen address is reachable only from this machine: the one case where a gateway with
// no identity configured may run open. Names other than `localhost` are not resolved: a name that
// happens to point at 127.0.0.1 today may not tomorrow, so it counts as reachable from outside.

import { isIPv4, isIPv6 } from 'node:net';

/** 127.0.0.0/8, ::1 (also written in full or as an IPv4-mapped 127.x address), or `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  const bare = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  // A zone id (fe80::1%eth0) names a link, never the loopback interface.
  if (!isIPv6(bare) || bare.includes('%')) return false;
  // The URL parser writes every IPv6 form the one canonical way (zeros compressed, IPv4 tails in hex).
  const canonical = new URL(`http://[${bare}]/`).hostname;
  if (canonical === '[::1]') return true;
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}\]$/.exec(canonical);
  return mapped !== null && parseInt(mapped[1], 16) >> 8 === 127;
}
