// Backend selection: auto takes the best backend that loads here and says why each better one was
// not taken; a named backend that cannot run is a one-line CONFIG_INVALID with its reason.
import t from 'tap';
import { availableParallelism } from 'node:os';
import { loadRiskBackend } from '../../../native/loader.js';
import { cpuThreads, loadCpuBackend } from '../../../native/cpu.js';
import { addonPath, loadAddon } from '../../../native/addon.js';
import { tsBackend } from '../../../engine/risk/ts-backend.js';

const cpuBuilt = addonPath('riskline_cpu') !== null;

t.test('ts when asked for, with nothing skipped', async (t) => {
  const got = loadRiskBackend('ts');
  t.equal(got.backend, tsBackend);
  t.same(got.skipped, []);
  t.equal(got.note, 'ts backend (requested): TypeScript reference');
});

t.test('auto: cuda → cpu → ts, each skip with its reason', async (t) => {
  const got = loadRiskBackend('auto', { threads: 1 });
  if (got.backend.name === 'cuda') {
    t.same(got.skipped, [], 'a GPU here: nothing better was skipped');
    return;
  }
  t.match(got.skipped[0], /^cuda: .+/, 'why cuda was not taken');
  if (cpuBuilt) {
    t.equal(got.backend.name, 'cpu');
    t.equal(got.backend.threads, 1, 'the threads option reaches the backend');
    t.match(got.note, /^cpu backend \(auto\): C\+\+17, g\+\+ [\d.]+, 1 thread, /);
    t.equal(got.skipped.length, 1);
  } else {
    t.equal(got.backend, tsBackend);
    t.match(got.skipped[1], /^cpu: addon not built/);
    t.equal(got.note, 'ts backend (auto): TypeScript reference, no native backend loaded');
  }
});

t.test('a named backend that cannot run is CONFIG_INVALID with its reason', async (t) => {
  t.equal(loadRiskBackend('gpujs').backend.name, 'gpujs', 'gpujs runs by name (gpu.js is a dependency)');
  t.not(loadRiskBackend('auto').backend.name, 'gpujs', 'auto never picks gpujs: on this machine it is slower than cpu');
  if (loadRiskBackend('auto').backend.name !== 'cuda')
    t.throws(() => loadRiskBackend('cuda'), {
      code: 'CONFIG_INVALID',
      message: /^risk\.backend: "cuda" cannot run here: .+/,
    });
  if (cpuBuilt) t.equal(loadRiskBackend('cpu', { threads: 2 }).backend.threads, 2);
  else
    t.throws(() => loadRiskBackend('cpu'), {
      code: 'CONFIG_INVALID',
      message: /"cpu" cannot run here: addon not built/,
    });
});

t.test('thread count: the option, else RISKLINE_THREADS, else every core; anything else is refused', async (t) => {
  t.equal(cpuThreads(3, '5'), 3);
  t.equal(cpuThreads(undefined, '5'), 5);
  t.equal(cpuThreads(undefined, undefined), availableParallelism());
  t.equal(cpuThreads(undefined, ''), availableParallelism());
  t.throws(() => cpuThreads(undefined, 'many'), {
    code: 'CONFIG_INVALID',
    message: 'RISKLINE_THREADS: expected an integer from 1 to 1024, got "many"',
  });
  t.throws(() => cpuThreads(0, undefined), {
    code: 'CONFIG_INVALID',
    message: 'threads: expected an integer from 1 to 1024, got 0',
  });
  const saved = process.env.RISKLINE_THREADS;
  process.env.RISKLINE_THREADS = '1.5';
  t.teardown(() =>
    saved === undefined ? delete process.env.RISKLINE_THREADS : (process.env.RISKLINE_THREADS = saved),
  );
  t.throws(
    () => loadRiskBackend('auto'),
    { code: 'CONFIG_INVALID' },
    "a bad RISKLINE_THREADS is the user's to fix, not a skip",
  );
  t.throws(() => loadCpuBackend(), { code: 'CONFIG_INVALID' });
});

t.test('an addon that is not built is a reason, not an exception', async (t) => {
  t.same(loadAddon('riskline_nonesuch'), {
    reason: 'addon not built (no build/Release/riskline_nonesuch.node; npm ci builds it)',
  });
});

t.test('OpenBLAS core named from the CPU flags unless the user named one', async (t) => {
  const { chooseOpenblasCore } = await import('../../../native/cpu.js');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/riskline-cpuinfo-');
  const info = (flags: string) => {
    const file = `${dir}/cpuinfo-${flags.length}`;
    writeFileSync(file, `processor\t: 0\nflags\t\t: fpu sse2 ${flags}\n`);
    return file;
  };
  const env: NodeJS.ProcessEnv = {};
  if (process.arch !== 'x64') return t.equal(chooseOpenblasCore(env, info('avx2 fma')), null);
  t.equal(chooseOpenblasCore(env, info('avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl')), 'SkylakeX');
  t.equal(env.OPENBLAS_CORETYPE, 'SkylakeX');
  t.equal(chooseOpenblasCore({}, info('avx2 fma avx512f')), 'Haswell');
  t.equal(chooseOpenblasCore({}, info('sse4_2')), null);
  t.equal(chooseOpenblasCore({ OPENBLAS_CORETYPE: 'Zen' }, info('avx2 fma')), 'Zen', "the user's choice stands");
});
