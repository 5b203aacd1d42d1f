// `riskline replay FILE`: publish a file's ticks and executions through the running pipeline
// (engine and gateway serve it as they would a live market), or with --verify check a recording.

import { RisklineError } from '../../errors/catalogue.js';
import { checkSpeed } from '../../feeds/replay.js';
import { loadRiskBackend } from '../../native/loader.js';
import { engineOptions, startRiskline } from '../compose.js';
import { exitWith } from '../exit.js';
import { createLogger } from '../logger.js';
import { verifyRecording } from '../verify.js';
import { loadFromFlags, type ServerFlags } from './start.js';

export async function replayCommand(
  file: string,
  opts: ServerFlags & { speed: string; verify?: boolean },
): Promise<void> {
  try {
    const config = loadFromFlags(opts);
    if (opts.verify) {
      const { backend } = loadRiskBackend(config.risk.backend);
      const r = await verifyRecording(file, engineOptions(config, backend));
      if (r.recorded === 0)
        throw new RisklineError(
          'REPLAY_FILE',
          `${file}: no frame digests to verify (record one with \`riskline start --record FILE\`)`,
        );
      if (r.mismatch) {
        throw new RisklineError(
          'REPLAY_MISMATCH',
          `${file}: frame ${r.mismatch.index + 1} differs: recorded ${r.mismatch.expected}, replayed ${r.mismatch.actual}`,
        );
      }
      process.stdout.write(`verified: ${r.frames} frames from ${r.inputs} inputs match the recording\n`);
      return;
    }
    const speed = opts.speed === 'max' ? Infinity : checkSpeed(Number(opts.speed));
    const logger = createLogger(config.log.level);
    const running = await startRiskline({ config, logger, replay: { file, speed } });
    const stop = () => void running.close().then(() => process.exit(130));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const stats = await running.feed!.done;
    // Let the engine drain what the feed published before closing.
    await new Promise((r) => setTimeout(r, config.engine.conflationMs * 2));
    await running.close();
    const e = running.engine?.engine.stats;
    process.stdout.write(
      `replayed ${stats?.ticks ?? 0} ticks and ${stats?.executions ?? 0} executions; engine applied ${e?.ticks ?? 0} ticks, ` +
        `${e?.executions ?? 0} executions, published ${e?.frames ?? 0} frames; dead-lettered ${running.engine?.stats().dlq ?? 0}\n`,
    );
  } catch (err) {
    exitWith(err);
  }
}
