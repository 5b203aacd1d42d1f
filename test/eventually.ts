// The one way tests wait (tools/eventually.ts, shared with the benchmarks): poll a condition until
// it holds, with a generous deadline, instead of sleeping a fixed time and hoping.
export { eventually } from '../tools/eventually.js';
