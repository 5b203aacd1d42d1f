// Where an order goes: the routing policy of config (orders.routing) over the venues of
// config/venues.json. The primary venue of an instrument is named by its id, else by its asset
// class, else it is the first venue trading the class; with fallback on, the other venues trading
// the class follow in file order, and the router takes the first of them that is connected and has
// not refused the order. With `split`, a large order goes to the first venues of its route that are
// connected, in legs.

import type { Instrument } from '../../engine/model.js';
import type { OrdersConfig, VenueDef } from '../../config/schema.js';

export class RoutingPolicy {
  private readonly byInstrument = new Map<string, readonly string[]>();
  /** Orders of at least this quantity go out in legs to up to `maxVenues` venues (null: never split). */
  readonly split: OrdersConfig['routing']['split'];

  constructor(instruments: readonly Instrument[], venues: readonly VenueDef[], routing: OrdersConfig['routing']) {
    this.split = routing.split;
    for (const inst of instruments) {
      const trading = venues.filter((v) => v.assetClasses.includes(inst.kind)).map((v) => v.id);
      const primary = routing.primary[inst.id] ?? routing.primary[inst.kind] ?? trading[0];
      if (primary === undefined) continue;
      const rest = routing.fallback ? trading.filter((id) => id !== primary) : [];
      this.byInstrument.set(inst.id, [primary, ...rest]);
    }
  }

  /** The venues an order in `instrument` may go to, in the order to try them (empty: none trades it). */
  venuesFor(instrument: string): readonly string[] {
    return this.byInstrument.get(instrument) ?? [];
  }
}
