// The feed role: the simulated market (with its demo trade flow) or a replay file, published to
// md.ticks and orders.executions.

import type { Logger } from 'pino';
import type { RisklineConfig } from '../../config/schema.js';
import { TradeFlow } from '../../feeds/flow.js';
import { DEFAULT_MAX_LAG_MS, replayToBus, startSimulatedFeed, type ReplayStats } from '../../feeds/publish.js';
import { MarketSimulator } from '../../feeds/simulator.js';
import type { Bus, Producer } from '../../streams/bus.js';
import { TOPIC } from '../../streams/topics.js';

export interface FeedRole {
  /** Resolves when a replay has published its whole file (never, for the simulator). */
  done: Promise<ReplayStats | null>;
  stats(): Record<string, number | string | null>;
  stop(): Promise<void>;
}

export interface FeedRoleOptions {
  bus: Bus;
  config: RisklineConfig;
  logger: Logger;
  src: string;
  replay: { file: string; speed: number } | null;
}

/** Where a feed publishes: the producer, the two topics and md.ticks' partition count. */
interface FeedOutput {
  producer: Producer;
  ticksTopic: string;
  executionsTopic: string;
  partitions: number;
}

export async function startFeedRole(o: FeedRoleOptions): Promise<FeedRole> {
  const ticksTopic = o.config.topics.prefix + TOPIC.ticks;
  const out: FeedOutput = {
    producer: o.bus.producer(),
    ticksTopic,
    executionsTopic: o.config.topics.prefix + TOPIC.executions,
    partitions: o.bus.partitions(ticksTopic),
  };
  return o.replay ? replayFeed(o, o.replay, out) : simulatedFeed(o, out);
}

function replayFeed(o: FeedRoleOptions, replay: { file: string; speed: number }, out: FeedOutput): FeedRole {
  const { bus, config } = o;
  const { producer, ticksTopic, executionsTopic, partitions } = out;
  const abort = new AbortController();
  let latest: ReplayStats | null = null;
  const done = replayToBus({
    producer,
    file: replay.file,
    topic: ticksTopic,
    partitions,
    executionsTopic,
    src: o.src,
    speed: replay.speed,
    batchSize: config.simulator.batchSize,
    signal: abort.signal,
    // Quiet gaps publish on the conflation grid, and the engine applies the file in its order:
    // frames depend on the file alone, whatever the speed.
    heartbeatMs: config.engine.conflationMs,
    settle: () => bus.settled(),
  }).then((s) => (latest = s));
  return {
    done,
    stats: () => ({ ...(latest ?? {}) }),
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
      await producer.close();
    },
  };
}

function simulatedFeed(o: FeedRoleOptions, out: FeedOutput): FeedRole {
  const { config, logger } = o;
  const { producer, ticksTopic, executionsTopic, partitions } = out;
  const sim = config.simulator;
  const simulator = new MarketSimulator({
    instruments: config.instruments,
    market: config.market,
    seed: sim.seed,
    startTime: sim.startTime ? Date.parse(sim.startTime) : Date.now(),
    ticksPerSecond: sim.ticksPerSecond,
    factorStepMs: sim.factorStepMs,
    jumpIntensityPerYear: sim.jumpIntensityPerYear,
    jumpMean: sim.jumpMean,
    jumpVol: sim.jumpVol,
    spreadBps: sim.spreadBps,
    riskFreeRate: config.risk.riskFreeRate,
  });
  const flow =
    sim.executionsPerSecond > 0
      ? new TradeFlow({ portfolios: config.portfolios, prices: simulator, seed: sim.seed, runId: o.src })
      : undefined;
  const feed = startSimulatedFeed({
    producer,
    topic: ticksTopic,
    partitions,
    simulator,
    ticksPerSecond: sim.ticksPerSecond,
    batchSize: sim.batchSize,
    intervalMs: sim.sendEveryMs,
    src: o.src,
    flow,
    executionsTopic,
    executionsPerSecond: sim.executionsPerSecond,
    alignClock: sim.startTime === null,
    // Quiet markets (a slow tick rate) still publish on the conflation grid, as replays do.
    heartbeatMs: config.engine.conflationMs,
    onSkip: (ms) =>
      logger.warn(
        { skippedMs: Math.round(ms), maxLagMs: DEFAULT_MAX_LAG_MS },
        `simulated feed fell behind the wall clock (the bus held its sends): skipped ${Math.round(ms)} ms of simulated time to be back within ${DEFAULT_MAX_LAG_MS} ms of it`,
      ),
    onError: (err) => logger.error({ err }, 'simulated feed stopped'),
  });
  logger.info(
    { ticksPerSecond: sim.ticksPerSecond, instruments: config.instruments.length, seed: sim.seed },
    'simulated market started',
  );
  return {
    done: new Promise<null>(() => undefined),
    stats: () => ({ ...feed.stats() }),
    async stop() {
      await feed.stop();
      await producer.close();
    },
  };
}
