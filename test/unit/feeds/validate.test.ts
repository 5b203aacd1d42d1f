import t from 'tap';
import {
  parseIsoTime,
  validateAlert,
  validateExecution,
  validateTick,
  validateTickTuple,
} from '../../../engine/validate.js';
import { caught } from './fixtures.js';

t.test('validateTick normalises good ticks', async (t) => {
  t.same(validateTick({ instrument: 'AAPL', ts: 1764000000000, bid: 1, ask: 2, last: 1.5, extra: true }), {
    instrument: 'AAPL',
    ts: 1764000000000,
    bid: 1,
    ask: 2,
    last: 1.5,
  });
  t.equal(validateTick({ instrument: 'A', ts: 5, bid: 1, ask: 2 }).last, 1.5, 'last defaults to the mid');
  t.equal(validateTick({ instrument: 'A', ts: 5, bid: 2, ask: 2 }).ask, 2, 'a locked market is allowed');
  t.equal(
    validateTick({ instrument: 'A', ts: '2025-11-24T14:30:00.250Z', bid: 1, ask: 2 }).ts,
    Date.UTC(2025, 10, 24, 14, 30, 0, 250),
  );
  t.equal(
    validateTick({ instrument: 'A', ts: '2025-11-24T14:30:00', bid: 1, ask: 2 }).ts,
    Date.UTC(2025, 10, 24, 14, 30),
    'no offset: UTC',
  );
  t.equal(
    validateTick({ instrument: 'A', ts: '2025-11-24 15:30+01:00', bid: 1, ask: 2 }).ts,
    Date.UTC(2025, 10, 24, 14, 30),
  );
});

t.test('validateTick errors name where, field, expectation and value', async (t) => {
  const w = 'feed:7';
  t.same(
    caught(() => validateTick(null, w)),
    { code: 'INVALID_TICK', message: 'feed:7: tick: expected an object, received null' },
  );
  t.same(
    caught(() => validateTick([1], w)),
    { code: 'INVALID_TICK', message: 'feed:7: tick: expected an object, received an array of 1' },
  );
  t.same(
    caught(() => validateTick({ ts: 1, bid: 1, ask: 2 }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: instrument: expected a non-empty string, received nothing' },
  );
  t.same(
    caught(() => validateTick({ instrument: '', ts: 1, bid: 1, ask: 2 }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: instrument: expected a non-empty string, received ""' },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: 'noon', bid: 1, ask: 2 }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: ts: expected epoch milliseconds or an ISO-8601 time, received "noon"' },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: '2025-02-30', bid: 1, ask: 2 }, w)),
    {
      code: 'INVALID_TICK',
      message: 'feed:7: ts: expected epoch milliseconds or an ISO-8601 time, received "2025-02-30"',
    },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: 1, bid: '1', ask: 2 }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: bid: expected a positive number, received "1"' },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: 1, bid: 0, ask: 2 }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: bid: expected a positive number, received 0' },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: 1, bid: 1, ask: Infinity }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: ask: expected a positive number, received Infinity' },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: 1, bid: 3, ask: 2 }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: ask: expected a price >= bid 3, received 2' },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: 1, bid: 1, ask: 2, last: -1 }, w)),
    { code: 'INVALID_TICK', message: 'feed:7: last: expected a positive number, received -1' },
  );
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: 1, bid: NaN, ask: 2 }, w, 'REPLAY_FILE')),
    { code: 'REPLAY_FILE', message: 'feed:7: bid: expected a positive number, received NaN' },
  );
  const long = 'x'.repeat(60);
  t.same(
    caught(() => validateTick({ instrument: 'A', ts: long, bid: 1, ask: 2 }, w)),
    {
      code: 'INVALID_TICK',
      message: `feed:7: ts: expected epoch milliseconds or an ISO-8601 time, received "${'x'.repeat(40)}…"`,
    },
  );
});

t.test('validateTickTuple checks positional ticks in place', async (t) => {
  const tup = ['A', 10, 1, 2, 1.5];
  t.equal(validateTickTuple(tup), tup);
  t.same(
    caught(() => validateTickTuple(['A', 10, 1, 2])),
    {
      code: 'INVALID_TICK',
      message: 'tick: tick: expected an array [instrument, ts, bid, ask, last], received 4 items',
    },
  );
  t.same(
    caught(() => validateTickTuple({})),
    {
      code: 'INVALID_TICK',
      message: 'tick: tick: expected an array [instrument, ts, bid, ask, last], received an object',
    },
  );
  t.same(
    caught(() => validateTickTuple([1, 10, 1, 2, 1])),
    { code: 'INVALID_TICK', message: 'tick: instrument: expected a non-empty string, received 1' },
  );
  t.same(
    caught(() => validateTickTuple(['A', '10', 1, 2, 1])),
    { code: 'INVALID_TICK', message: 'tick: ts: expected epoch milliseconds, received "10"' },
  );
  t.same(
    caught(() => validateTickTuple(['A', 10, 2, 1, 1])),
    { code: 'INVALID_TICK', message: 'tick: ask: expected a price >= bid 2, received 1' },
  );
  t.same(
    caught(() => validateTickTuple(['A', 10, 1, 2, null], 'b[3]')),
    { code: 'INVALID_TICK', message: 'b[3]: last: expected a positive number, received null' },
  );
});

t.test('validateExecution', async (t) => {
  const good = {
    id: 'X1',
    portfolio: 'P1',
    instrument: 'A',
    side: 'sell',
    qty: 10,
    price: 101.5,
    ts: 7,
    type: 'execution',
  };
  t.same(validateExecution(good), {
    id: 'X1',
    portfolio: 'P1',
    instrument: 'A',
    side: 'sell',
    qty: 10,
    price: 101.5,
    ts: 7,
  });
  t.same(validateExecution({ ...good, fees: -0.5, orderId: 'O1', venue: 'XNAS' }), {
    id: 'X1',
    portfolio: 'P1',
    instrument: 'A',
    side: 'sell',
    qty: 10,
    price: 101.5,
    ts: 7,
    fees: -0.5,
    orderId: 'O1',
    venue: 'XNAS',
  });
  const w = 'http';
  const bad = (patch: Record<string, unknown>) => () => validateExecution({ ...good, ...patch }, w);
  t.same(caught(bad({ id: undefined })), {
    code: 'INVALID_EXECUTION',
    message: 'http: id: expected a non-empty string, received nothing',
  });
  t.same(caught(bad({ portfolio: 3 })), {
    code: 'INVALID_EXECUTION',
    message: 'http: portfolio: expected a non-empty string, received 3',
  });
  t.same(caught(bad({ instrument: '' })), {
    code: 'INVALID_EXECUTION',
    message: 'http: instrument: expected a non-empty string, received ""',
  });
  t.same(caught(bad({ side: 'short' })), {
    code: 'INVALID_EXECUTION',
    message: 'http: side: expected "buy" or "sell", received "short"',
  });
  t.same(caught(bad({ qty: 0 })), {
    code: 'INVALID_EXECUTION',
    message: 'http: qty: expected a positive number, received 0',
  });
  t.same(caught(bad({ qty: -5 })), {
    code: 'INVALID_EXECUTION',
    message: 'http: qty: expected a positive number, received -5',
  });
  t.same(caught(bad({ price: {} })), {
    code: 'INVALID_EXECUTION',
    message: 'http: price: expected a positive number, received an object',
  });
  t.same(caught(bad({ ts: true })), {
    code: 'INVALID_EXECUTION',
    message: 'http: ts: expected epoch milliseconds or an ISO-8601 time, received true',
  });
  t.same(caught(bad({ fees: 'x' })), {
    code: 'INVALID_EXECUTION',
    message: 'http: fees: expected a finite number, received "x"',
  });
  t.same(caught(bad({ orderId: '' })), {
    code: 'INVALID_EXECUTION',
    message: 'http: orderId: expected a non-empty string, received ""',
  });
  t.same(
    caught(() => validateExecution('x')),
    { code: 'INVALID_EXECUTION', message: 'execution: execution: expected an object, received "x"' },
  );
});

t.test('parseIsoTime accepts ISO dates only', async (t) => {
  t.equal(parseIsoTime('2025-11-24'), Date.UTC(2025, 10, 24));
  t.equal(parseIsoTime('2025-11-24T00:00:00.123456Z'), Date.UTC(2025, 10, 24, 0, 0, 0, 123));
  t.ok(Number.isNaN(parseIsoTime('11/24/2025')));
  t.ok(Number.isNaN(parseIsoTime('1764000000000')));
  t.ok(Number.isNaN(parseIsoTime('2025-13-01')));
});

t.test('validateAlert takes exactly the documented alert and names what is wrong with any other', async (t) => {
  const good = {
    id: 'gross-max:P-DEMO:1:raise',
    portfolio: 'P-DEMO',
    limit: 'gross-max',
    state: 'breached',
    severity: 'warning',
    message: 'gross 30001.50 above max 25000.00 (gross-max)',
    value: 30001.5,
    threshold: 25000,
    ts: 1795617000290,
  };
  t.same(validateAlert(good), good);
  t.not(validateAlert(good), good, 'a new object');
  for (const [change, message] of [
    [{ severity: 'panic' }, 'alert: severity: expected "info", "warning" or "critical", received "panic"'],
    [{ state: 'open' }, 'alert: state: expected "warning", "breached" or "cleared", received "open"'],
    [{ portfolio: '' }, 'alert: portfolio: expected a non-empty string of at most 200 characters, received ""'],
    [{ value: Infinity }, 'alert: value: expected a finite number, received Infinity'],
    [{ ts: '2025-11-24' }, 'alert: ts: expected epoch milliseconds, received "2025-11-24"'],
    [{ message: 'x'.repeat(1001) }, /^alert: message: expected a non-empty string of at most 1000 characters/],
    [{ extra: 1 }, 'alert: extra: expected no such field (an alert has exactly the documented ones), received 1'],
  ] as const) {
    t.match(
      caught(() => validateAlert({ ...good, ...change })),
      { code: 'DECODE_FAILED', message },
    );
  }
  t.match(
    caught(() => validateAlert(null, 'alert record')),
    {
      message: 'alert record: alert: expected an object, received null',
    },
  );
});
