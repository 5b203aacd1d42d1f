// The gateway end to end on uWebSockets.js (the default server); gateway-ws.test.ts runs the same suite on ws.
import { gatewaySuite } from './gateway-suite.js';

gatewaySuite('uws');
