// An order's states (FIX OrdStatus) and which are open and which final: one place for the blotter,
// split legs, the journal, the FIX client reports and the gateway's orders channel.

export type OrderStatus =
  'PendingNew' | 'New' | 'PartiallyFilled' | 'Filled' | 'PendingCancel' | 'PendingReplace' | 'Canceled' | 'Rejected';

const OPEN: ReadonlySet<string> = new Set<OrderStatus>(['PendingNew', 'New', 'PartiallyFilled']);
const FINAL: ReadonlySet<string> = new Set<OrderStatus>(['Filled', 'Canceled', 'Rejected']);

/** Open to a cancel or replace. */
export const isOpen = (s: string | undefined): boolean => s !== undefined && OPEN.has(s);
/** Done: nothing more will happen to the order. */
export const isFinal = (s: string | undefined): boolean => s !== undefined && FINAL.has(s);
