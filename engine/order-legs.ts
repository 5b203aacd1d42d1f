// A split order's legs (routing `split`): one order to the client, sent to several venues as legs
// of its quantity, each with its own ClOrdID and life at its venue. The order's state follows its
// legs': filled when they have filled its quantity, partly filled once any has traded, done
// (canceled, or rejected when no leg traded) once every leg is. Pure, as the blotter.

import { isFinal, isOpen, type OrderStatus } from './order-status.js';

export interface Leg {
  venue: string;
  /** The ClOrdID the leg's venue knows it by now. */
  clOrdId: string;
  venueOrderId: string | null;
  qty: number;
  cumQty: number;
  status: OrderStatus;
  /** What a pending cancel restores if the venue refuses it. */
  before: OrderStatus | null;
}

/** `qty` over `venues` as evenly as whole units allow (the remainder to the first legs); fractions go whole to the first. */
export function legSizes(qty: number, venues: number): number[] {
  if (!Number.isInteger(qty)) return [qty, ...Array<number>(venues - 1).fill(0)].filter((q) => q > 0);
  const base = Math.floor(qty / venues);
  return Array.from({ length: venues }, (_, k) => base + (k < qty % venues ? 1 : 0)).filter((q) => q > 0);
}

export const legIsOpen = (l: Leg): boolean => isOpen(l.status);

/** The order's state from its legs' (`cancelling`: a cancel of the order is waiting on some). */
export function aggregate(legs: readonly Leg[], qty: number, cumQty: number, cancelling: boolean): OrderStatus {
  if (legs.every((l) => isFinal(l.status))) {
    if (cumQty >= qty) return 'Filled';
    return cumQty === 0 && legs.every((l) => l.status === 'Rejected') ? 'Rejected' : 'Canceled';
  }
  if (cancelling) return 'PendingCancel';
  if (cumQty > 0) return 'PartiallyFilled';
  return legs.some((l) => l.status !== 'PendingNew') ? 'New' : 'PendingNew';
}
