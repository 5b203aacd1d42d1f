// The command logger: JSON or readable lines, and start-up lines held until a command's input has
// proved valid (released then, or dropped when a usage error follows), warnings never held.
import t from 'tap';
import { createLogger } from '../../../app/logger.js';
import { bannerText } from '../../../app/commands/banner.js';

t.test('JSON lines unless pretty; readable lines when pretty', async (t) => {
  const json: string[] = [];
  const a = await createLogger({ level: 'info', pretty: false, write: (l) => void json.push(l) });
  a.logger.info({ port: 8080 }, 'listening');
  t.match(JSON.parse(json[0]), { level: 30, name: 'riskline', port: 8080, msg: 'listening' });
  t.equal(a.pretty, false);

  const text: string[] = [];
  const b = await createLogger({ level: 'info', pretty: true, write: (l) => void text.push(l) });
  b.logger.warn({ port: 8080 }, 'listening');
  t.equal(text.length, 1);
  t.match(text[0], /^\[\d\d:\d\d:\d\d\.\d{3}\] .*WARN.*: .*listening.* .*"port":8080/);
  t.throws(() => JSON.parse(text[0]), 'not JSON');
  t.equal(b.pretty, true);
});

t.test('held lines wait for release, in order; warnings go out at once; discard drops', async (t) => {
  const out: string[] = [];
  const msgs = () => out.map((l) => (JSON.parse(l) as { msg: string }).msg);
  const log = await createLogger({ level: 'debug', pretty: false, hold: true, write: (l) => void out.push(l) });
  log.logger.info('one');
  log.logger.debug('two');
  log.logger.warn('careful');
  t.same(msgs(), ['careful'], 'only the warning is out');
  log.release();
  t.same(msgs(), ['careful', 'one', 'two'], 'released in order');
  log.logger.info('three');
  t.same(msgs(), ['careful', 'one', 'two', 'three'], 'no longer held');

  out.length = 0;
  const dropped = await createLogger({ level: 'info', pretty: false, hold: true, write: (l) => void out.push(l) });
  dropped.logger.info('start-up');
  dropped.discard();
  dropped.logger.info('after');
  t.same(msgs(), ['after'], 'discarded lines never appear');
});

t.test('a long hold is bounded: past 1000 lines everything is written', async (t) => {
  const out: string[] = [];
  const log = await createLogger({ level: 'info', pretty: false, hold: true, write: (l) => void out.push(l) });
  for (let k = 0; k < 1000; k++) log.logger.info(`line ${k}`);
  t.equal(out.length, 0);
  log.logger.info('line 1000');
  t.equal(out.length, 1001);
});

t.test('the banner is one block naming every address', async (t) => {
  const text = bannerText({
    ws: 'ws://127.0.0.1:8080/v1/stream',
    http: 'http://127.0.0.1:8080',
    health: 'http://127.0.0.1:8080/health',
    metrics: 'http://127.0.0.1:8080/metrics',
    roles: ['feed', 'engine', 'gateway'],
    bus: 'Kafka at 127.0.0.1:9092',
    backend: 'ts: TypeScript reference backend',
    record: null,
    watch: 'npx riskline watch positions:P1',
    server: 'uWebSockets.js 20.30.0 (native)',
    auth: 'HS256 tokens signed with the shared secret',
  });
  t.equal(
    text,
    [
      '',
      'Riskline is running',
      '  WebSocket  ws://127.0.0.1:8080/v1/stream',
      '  HTTP       http://127.0.0.1:8080',
      '  server     uWebSockets.js 20.30.0 (native)',
      '  auth       HS256 tokens signed with the shared secret',
      '  health     http://127.0.0.1:8080/health',
      '  metrics    http://127.0.0.1:8080/metrics',
      '  roles      feed, engine, gateway',
      '  bus        Kafka at 127.0.0.1:9092',
      '  risk       ts: TypeScript reference backend',
      '  try        npx riskline watch positions:P1',
      '  stop       Ctrl-C',
      '',
      '',
    ].join('\n'),
  );
  const noGateway = bannerText({
    ws: null,
    http: null,
    health: null,
    metrics: null,
    roles: ['engine'],
    bus: 'in process',
    backend: null,
    record: null,
    watch: null,
    server: null,
    auth: null,
  });
  t.notMatch(noGateway, /WebSocket|HTTP|risk|server|auth/, 'rows without a value are left out');
});
