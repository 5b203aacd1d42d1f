// Typed arrays made longer: the book's per-position columns, the risk simulation's weights, the
// analytics' holdings and the bus readers' string tables all grow the same way.

/** A copy of `a` in a typed array of `size` elements (the rest zero). */
export function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
