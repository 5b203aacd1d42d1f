// The C++ kernels built with AddressSanitizer + UndefinedBehaviorSanitizer (with OpenBLAS when
// installed, as the addon is) and with ThreadSanitizer, then run: exit 0 and no sanitizer report.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
const sources = [
  'native/test/kernels_test.cc',
  ...['scenarios', 'revalue', 'tail', 'blas'].map((f) => `native/src/${f}.cc`),
];
const openblas = existsSync('/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h');
const compiler = spawnSync('g++', ['--version']);

const builds = [
  {
    name: 'address,undefined',
    flags: ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'],
    blas: openblas,
    env: { ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1' },
  },
  { name: 'thread', flags: ['-fsanitize=thread'], blas: false, env: { TSAN_OPTIONS: 'halt_on_error=1' } },
];

const dir = mkdtempSync(join(tmpdir(), 'riskline-sanitizers-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

for (const b of builds) {
  t.test(
    `kernels under -fsanitize=${b.name}${b.blas ? ' with OpenBLAS' : ''}`,
    { skip: compiler.status !== 0 && 'no g++ on this machine' },
    async (t) => {
      const exe = join(dir, b.name.replace(',', '-'));
      const blas = b.blas
        ? ['-DRISKLINE_OPENBLAS', '-I/usr/include/x86_64-linux-gnu/openblas-pthread', '-lopenblas']
        : [];
      const args = [
        '-std=c++17',
        '-O1',
        '-g',
        '-fno-omit-frame-pointer',
        ...b.flags,
        '-Inative/src',
        ...sources,
        '-pthread',
        ...blas,
        '-o',
        exe,
      ];
      const cc = spawnSync('g++', args, { cwd: root, encoding: 'utf8' });
      t.equal(cc.status, 0, `g++ ${args.join(' ')}`, { stderr: cc.stderr });
      if (cc.status !== 0) return;
      const run = spawnSync(exe, [], {
        encoding: 'utf8',
        env: { ...process.env, OPENBLAS_NUM_THREADS: '2', ...b.env },
      });
      t.equal(run.status, 0, 'kernels_test exits 0', { stderr: run.stderr, stdout: run.stdout });
      t.match(run.stdout, /kernels_test: all passed/);
      t.notMatch(run.stderr, /Sanitizer|runtime error|FAIL/, 'no sanitizer report', { stderr: run.stderr });
    },
  );
}
