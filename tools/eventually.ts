// The one way tests and benchmarks wait: poll a condition until it holds, with a generous deadline,
// instead of sleeping a fixed time and hoping (it imports nothing of the product).

/**
 * Resolves with the probe's first value that is neither undefined nor false; rejects naming `what`
 * once `timeoutMs` has passed.
 */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
  everyMs = 20,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
