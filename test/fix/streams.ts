// Shared by the FIX codec tests: a byte stream cut into reads at given fractions of its length, as
// TCP may deliver it (empty reads included, which a framer must take in its stride).
export function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((x) => Math.floor(x * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}
