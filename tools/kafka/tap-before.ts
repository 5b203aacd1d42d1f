// tap's `before` hook (package.json "tap".before): one broker for the whole run. tap runs this file
// with no arguments, so it cannot be `cli.js test-up` itself.
import { testUp } from './cli.js';

await testUp();
