// Shared by the chaos tests: a seeded stream of executions, with upstream resends, and how it is
// written to the executions topic.
import type { Execution } from '../../engine/model.js';
import type { Producer } from '../../streams/bus.js';
import { encodeEnvelope } from '../../streams/envelope.js';
import { CounterRng } from '../../maths/random.js';

const T0 = Date.parse('2026-11-25T14:00:00Z');

export interface ExecutionStream {
  count: number;
  portfolios: string[];
  instruments: { id: string; price: number }[];
  seed: number;
  /** Id prefix, so streams of different tests never share ids. */
  prefix: string;
  /** Every this many executions, the previous one is sent again (an upstream resend); 0: never. */
  resendEvery?: number;
}

export function executions(o: ExecutionStream): Execution[] {
  const rng = new CounterRng(o.seed);
  const rnd = () => rng.uniform();
  const out: Execution[] = [];
  for (let k = 0; k < o.count; k++) {
    const inst = o.instruments[Math.floor(rnd() * o.instruments.length)];
    out.push({
      id: `${o.prefix}${k}`,
      portfolio: o.portfolios[Math.floor(rnd() * o.portfolios.length)],
      instrument: inst.id,
      side: rnd() < 0.5 ? 'buy' : 'sell',
      qty: 1 + Math.floor(rnd() * 100),
      price: Math.round(inst.price * (0.95 + rnd() * 0.1) * 100) / 100,
      ts: T0 + k,
    });
    if (o.resendEvery && k > 0 && k % o.resendEvery === 0) out.push({ ...out[out.length - 2] });
  }
  return out;
}

/** Sends executions keyed by portfolio, `batch` at a time with a pause between batches. */
export async function sendExecutions(
  producer: Producer,
  topic: string,
  list: Execution[],
  batch: number,
  pauseMs: number,
) {
  for (let i = 0; i < list.length; i += batch) {
    await producer.send(
      topic,
      list.slice(i, i + batch).map((e, j) => ({
        key: e.portfolio,
        value: encodeEnvelope({ v: 1, type: 'execution', src: 'chaos', ts: e.ts, seq: i + j, body: e }),
      })),
    );
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
