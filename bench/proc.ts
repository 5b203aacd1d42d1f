// What /proc says of a process (Linux): the benchmarks report who was busy.
import { readFileSync } from 'node:fs';

/** User + system CPU seconds of a process so far; NaN where /proc cannot say. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}
