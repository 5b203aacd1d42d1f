// Where the engine's clock starts: the valuation time of the opening book, before any input moves
// event time. Stated once, at start, and logged with its source, so opening frames can be checked.

import type { RisklineConfig } from '../config/schema.js';
import { replayStartTime } from '../feeds/replay.js';

export interface ValuationStart {
  /** Epoch milliseconds. */
  time: number;
  source: 'config engine.valuationTime' | 'replay file' | 'simulator startTime' | 'wall clock at start';
}

/**
 * The configured valuation time; else, with a feed in this process, the replay's first event (or
 * its `start` record) or the simulator's configured start; else the wall clock now (a live feed's
 * event time follows the wall clock, and a takeover's checkpoint carries its own time).
 */
export async function valuationStart(
  config: RisklineConfig,
  replayFile: string | null,
  now: number,
): Promise<ValuationStart> {
  if (config.engine.valuationTime !== null)
    return { time: Date.parse(config.engine.valuationTime), source: 'config engine.valuationTime' };
  const feedHere = config.roles.includes('feed');
  if (feedHere && replayFile !== null) {
    const first = await replayStartTime(replayFile);
    if (first !== null) return { time: first, source: 'replay file' };
  }
  if (feedHere && replayFile === null && config.simulator.startTime !== null)
    return { time: Date.parse(config.simulator.startTime), source: 'simulator startTime' };
  return { time: now, source: 'wall clock at start' };
}
