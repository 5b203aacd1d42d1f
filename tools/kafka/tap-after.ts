// tap's `after` hook (package.json "tap".after): stops the broker tap-before.ts started.
import { testDown } from './cli.js';

// A run given KAFKA_BROKERS started no broker, so it stops none: the recorded one may be another
// run's, still in use.
if (!process.env.KAFKA_BROKERS) await testDown();
