// The gateway end to end on node:http + ws (the fallback server); the same suite as gateway.test.ts.
import { gatewaySuite } from './gateway-suite.js';

gatewaySuite('ws');
