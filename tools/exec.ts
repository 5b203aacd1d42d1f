// Running the external tools the dev harnesses need (java, mvn, javac): the exit code and all the
// output of a command, and a check that a tool is installed, failing with what to install.
import { execFile } from 'node:child_process';
import { RisklineError } from '../errors/catalogue.js';

/** Runs `cmd`; rejects only when it is not installed (ENOENT), else resolves with its code and output. */
export function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const e = err as NodeJS.ErrnoException | null;
      if (e?.code === 'ENOENT') reject(e);
      else resolve({ code: typeof e?.code === 'number' ? e.code : e ? 1 : 0, out: `${stdout}${stderr}` });
    });
  });
}

/** The output of `cmd args` (a version query), or UNAVAILABLE naming the tool and `needs`. */
export async function requireTool(cmd: string, args: string[], needs: string): Promise<string> {
  try {
    return (await run(cmd, args)).out;
  } catch {
    throw new RisklineError('UNAVAILABLE', `${cmd} not found: ${needs}`);
  }
}
