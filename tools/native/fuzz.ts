// Builds the native FIX codec's fuzz target (native/test/fix_fuzz.cc) with AddressSanitizer and
// UndefinedBehaviorSanitizer. With clang's libFuzzer (Debian: clang and libclang-rt-dev, installed
// here with apt-get when missing, as tools/browser/chromium.ts installs Chromium) it is a real
// coverage-guided fuzzer; without it, g++ links the same target to native/test/fix_fuzz_driver.cc,
// which replays the corpus and seeded mutations of it under the same sanitizers.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

export const FIX_CORPUS = join(root, 'native/test/fix_corpus');
export const FIX_DICT = join(root, 'native/test/fix.dict');

const SANITIZE = ['-fno-sanitize-recover=all', '-fno-omit-frame-pointer', '-g', '-O1', '-std=c++17'];
const SOURCES = ['native/test/fix_fuzz.cc', 'native/src/fix_codec.cc'];

export interface FuzzBuild {
  /** libfuzzer: clang -fsanitize=fuzzer; driver: g++ and fix_fuzz_driver.cc. */
  kind: 'libfuzzer' | 'driver';
  exe: string;
  /** How it was built, and why libFuzzer was not used when it was not. */
  note: string;
}

const ok = (cmd: string, args: string[], timeout = 120_000): { status: number | null; out: string } => {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout });
  return { status: r.error ? null : r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}` };
};

/** Whether clang++ links a -fsanitize=fuzzer program here (clang without libclang-rt does not). */
function clangLinksFuzzer(dir: string): boolean {
  const src = join(dir, 'probe.cc');
  writeFileSync(src, 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n');
  return ok('clang++', ['-fsanitize=fuzzer', src, '-o', join(dir, 'probe')]).status === 0;
}

/** Debian's clang and its libFuzzer runtime, when this user may install them. Returns why not, or ''. */
function installClang(): string {
  if (process.getuid?.() !== 0) return 'clang++ with libFuzzer is missing and this user cannot apt-get install it';
  if (ok('apt-get', ['--version']).status !== 0) return 'clang++ with libFuzzer is missing and there is no apt-get';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => spawnSync('apt-get', args, { stdio: 'ignore', env, timeout: 600_000 }).status === 0;
  if (!apt(['update'])) return 'apt-get update failed';
  // libclang-rt-dev holds libFuzzer; older releases only have it as a recommendation of clang.
  if (apt(['install', '-y', '--no-install-recommends', 'clang', 'libclang-rt-dev'])) return '';
  return apt(['install', '-y', 'clang']) ? '' : 'apt-get install clang failed';
}

/** Builds the fuzz target into `dir` (e.g. .cache/native): libFuzzer when it can be had, else the driver. */
export function buildFixFuzzer(
  dir: string,
  log: (line: string) => void = () => undefined,
): FuzzBuild | { reason: string } {
  mkdirSync(dir, { recursive: true });
  let why = '';
  if (!clangLinksFuzzer(dir)) {
    log('clang++ with libFuzzer not found: installing clang and libclang-rt-dev with apt-get');
    why = installClang();
    if (why === '' && !clangLinksFuzzer(dir)) why = 'clang++ was installed but does not link -fsanitize=fuzzer';
  }
  if (why === '') {
    const exe = join(dir, 'fix_fuzz');
    const args = ['-fsanitize=fuzzer,address,undefined', ...SANITIZE, '-Wall', '-Wextra', '-Inative/src', ...SOURCES];
    const cc = ok('clang++', [...args, '-o', exe]);
    if (cc.status !== 0) return { reason: `clang++ ${args.join(' ')} failed:\n${cc.out}` };
    return { kind: 'libfuzzer', exe, note: 'clang++ -fsanitize=fuzzer,address,undefined' };
  }
  const driver = buildFixFuzzDriver(dir);
  if ('reason' in driver) return { reason: `no libFuzzer (${why}), and ${driver.reason}` };
  return { ...driver, note: `${driver.note} (${why})` };
}

/**
 * The target linked to the mutation driver by g++ with ASan and UBSan; `defines` (e.g.
 * RISKLINE_FIX_SCALAR, the plain loops of targets without SSE2) name a variant, built as its own file.
 */
export function buildFixFuzzDriver(dir: string, defines: string[] = []): FuzzBuild | { reason: string } {
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, ['fix_fuzz_driver', ...defines].join('-').toLowerCase());
  const args = [
    '-fsanitize=address,undefined',
    ...SANITIZE,
    '-Wall',
    '-Wextra',
    ...defines.map((d) => `-D${d}`),
    '-Inative/src',
    ...SOURCES,
    'native/test/fix_fuzz_driver.cc',
  ];
  const cc = ok('g++', [...args, '-o', exe]);
  if (cc.status !== 0) return { reason: `g++ ${args.join(' ')} failed:\n${cc.out}` };
  return {
    kind: 'driver',
    exe,
    note: `g++ -fsanitize=address,undefined${defines.map((d) => ` -D${d}`).join('')}, mutation driver`,
  };
}
