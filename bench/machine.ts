/**
 * What the numbers were measured on: the machine, and how loaded it was before and during the run (the
 * 2-core machine is shared, so the load average belongs next to every figure).
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';

export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export function loadAverage(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [a, b, c];
}

export function formatLoad([a, b, c]: [number, number, number]): string {
  return `${a.toFixed(2)}, ${b.toFixed(2)}, ${c.toFixed(2)}`;
}

/** Samples the 1-minute load average every few seconds while the benchmark runs. */
export class LoadSampler {
  private readonly samples: number[] = [];
  private readonly timer: NodeJS.Timeout;
  constructor(everyMs = 5_000) {
    this.timer = setInterval(() => this.samples.push(os.loadavg()[0]), everyMs);
    this.timer.unref();
  }
  stop(): { min: number; max: number; mean: number; n: number } {
    clearInterval(this.timer);
    const s = this.samples.length ? this.samples : [os.loadavg()[0]];
    return { min: Math.min(...s), max: Math.max(...s), mean: s.reduce((x, y) => x + y, 0) / s.length, n: s.length };
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ; Linux reports /proc/<pid>/stat times in these on every architecture we run on

/** CPU time (user + system, all threads) a process has used so far, in microseconds; null if unreadable. */
export function processCpuUs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after its closing one.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return ((utime + stime) * 1_000_000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * A process's resident memory from /proc/<pid>/status, in bytes: the peak so far (VmHWM) and the present
 * split into anonymous (heap, native allocations) and file-backed pages; null when unreadable.
 */
export function processMemory(pid: number): { peakRss: number; rssAnon: number | null; rssFile: number | null } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : null;
    };
    const peakRss = kb('VmHWM');
    return peakRss === null ? null : { peakRss, rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
  } catch {
    return null;
  }
}
