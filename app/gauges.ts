// Gauges read at scrape time: a role's counters are exported without adding anything to its hot path.
import { Gauge, type Registry } from 'prom-client';

/** A gauge whose value `read` gives whenever the registry is scraped. */
export function scrapeGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
