// The native FIX codec's fuzz target (native/test/fix_fuzz.cc) built with AddressSanitizer and
// UndefinedBehaviorSanitizer into .cache/native and run for a bounded time over the seed corpus
// (native/test/fix_corpus): libFuzzer when clang's can be had (tools/native/fuzz.ts installs it
// with apt-get), else the same target under g++ with a mutation driver; and the codec's plain
// loops (the build for targets without SSE2) under the driver. Exit 0 and no sanitizer or
// invariant report. RISKLINE_FUZZ_SECONDS sets the libFuzzer run (default 20 s).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { FieldList } from '../../../gateways/fix/codec/fields.js';
import { parseMessage, ParseStatus } from '../../../gateways/fix/codec/parser.js';
import {
  buildFixFuzzDriver,
  buildFixFuzzer,
  FIX_CORPUS,
  FIX_DICT,
  type FuzzBuild,
} from '../../../tools/native/fuzz.js';

t.setTimeout(600_000);
const root = new URL('../../../', import.meta.url).pathname;
const compilers = ['g++', 'clang++'].filter((c) => spawnSync(c, ['--version']).status === 0);

t.test('the seed corpus holds real messages, and broken ones', async (t) => {
  const files = readdirSync(FIX_CORPUS);
  t.ok(files.length >= 12, `${files.length} files`);
  const f = new FieldList();
  for (const name of files) {
    const bytes = readFileSync(join(FIX_CORPUS, name));
    const status = parseMessage(bytes, 0, bytes.length, f).status;
    if (name.startsWith('broken-')) t.not(status, ParseStatus.Ok, `${name} does not parse Ok`);
    else if (!name.startsWith('stream-')) t.equal(status, ParseStatus.Ok, `${name} parses Ok (${f.get(35)})`);
  }
});

/** Runs a built target for a bounded time or number of inputs: exit 0, no report. */
function runTarget(t: Test, build: FuzzBuild, work: string) {
  t.comment(`built with ${build.note}`);
  const artifacts = join(root, '.cache/native/fix-fuzz-artifacts/');
  mkdirSync(artifacts, { recursive: true });
  const seconds = Number(process.env.RISKLINE_FUZZ_SECONDS ?? 20);
  const seed = Math.floor(Math.random() * 2 ** 31);
  const args =
    build.kind === 'libfuzzer'
      ? [
          `-max_total_time=${seconds}`,
          '-rss_limit_mb=512',
          '-max_len=4096',
          '-timeout=10',
          `-seed=${seed}`,
          `-dict=${FIX_DICT}`,
          `-artifact_prefix=${artifacts}`,
          work, // new inputs go here; the seed corpus is only read
          FIX_CORPUS,
        ]
      : ['-runs=100000', `-seed=${seed}`, FIX_CORPUS];
  const run = spawnSync(build.exe, args, {
    encoding: 'utf8',
    timeout: (seconds + 120) * 1000,
    maxBuffer: 64 << 20,
    env: {
      ...process.env,
      ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0',
      UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    },
  });
  const out = `${run.stdout}${run.stderr}`;
  const tail = out.split('\n').slice(-30).join('\n');
  t.equal(run.status, 0, `${build.exe} ${args.join(' ')} exits 0 (seed ${seed})`, { output: tail });
  t.notMatch(out, /invariant failed|Sanitizer|runtime error|deadly signal/, 'no report', { output: tail });
  if (build.kind === 'libfuzzer') {
    const runs = /Done (\d+) runs/.exec(out);
    t.ok(runs && Number(runs[1]) > 1000, `libFuzzer ran ${runs?.[1] ?? 'no'} inputs in ${seconds} s`);
  } else t.match(out, /every invariant held/);
}

const work = mkdtempSync(join(tmpdir(), 'riskline-fix-fuzz-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const cache = join(root, '.cache/native');

t.test(
  'the fuzz target under ASan and UBSan: exit 0, every invariant held',
  { skip: compilers.length === 0 && 'no C++ compiler on this machine' },
  async (t) => {
    const build = buildFixFuzzer(cache, (line) => t.comment(line));
    if ('reason' in build) t.fail(build.reason);
    else runTarget(t, build, work);
  },
);

t.test(
  'the plain loops (RISKLINE_FIX_SCALAR, as without SSE2) under the mutation driver',
  { skip: !compilers.includes('g++') && 'no g++ on this machine' },
  async (t) => {
    const build = buildFixFuzzDriver(cache, ['RISKLINE_FIX_SCALAR']);
    if ('reason' in build) t.fail(build.reason);
    else runTarget(t, build, work);
  },
);
