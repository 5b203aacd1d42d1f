// tap's `after` hook (package.json "tap".after): stops the broker tap-before.ts started.
import { testDown } from './cli.js';

await testDown();
