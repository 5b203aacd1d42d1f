// Position arithmetic on the average-cost method, as one pure function.
//
// Invariants: a fill in the direction of the position (or from flat) moves the average cost to the
// quantity-weighted mean; a fill against it realises (fill price − average cost) on the closed
// quantity and leaves the average cost alone; a fill that goes through zero closes the old
// position in full and opens the remainder at the fill price; a flat position has average cost 0.

export interface FillResult {
  qty: number;
  avgCost: number;
  /** Realised P&L in price units (multiply by the contract multiplier and FX for money). */
  realized: number;
  /** Signed quantity that closed existing exposure (0 when the fill only adds). */
  closed: number;
}

/**
 * Applies a fill of `signedQty` (positive buys, negative sells) at `price` to a position of `qty`
 * at `avgCost`. Writes into `out` (caller-owned, so the hot path allocates nothing) and returns it.
 */
export function applyFill(
  qty: number,
  avgCost: number,
  signedQty: number,
  price: number,
  out: FillResult = { qty: 0, avgCost: 0, realized: 0, closed: 0 },
): FillResult {
  const next = qty + signedQty;
  if (qty === 0 || Math.sign(qty) === Math.sign(signedQty)) {
    out.qty = next;
    out.avgCost = next === 0 ? 0 : (qty * avgCost + signedQty * price) / next;
    out.realized = 0;
    out.closed = 0;
    return out;
  }
  // Reducing, closing or flipping: the closed part is at most the existing position.
  const closed = Math.abs(signedQty) >= Math.abs(qty) ? qty : -signedQty;
  out.realized = closed * (price - avgCost);
  out.closed = closed;
  out.qty = isNearZero(next, qty) ? 0 : next;
  if (out.qty === 0) out.avgCost = 0;
  else if (Math.sign(out.qty) !== Math.sign(qty)) out.avgCost = price;
  else out.avgCost = avgCost;
  return out;
}

// Fractional quantities (FX notionals, bond face) can leave 1e-12 dust after a full close.
function isNearZero(next: number, before: number): boolean {
  return Math.abs(next) <= Math.abs(before) * 1e-12;
}
