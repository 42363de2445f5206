import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

/**
 * Progress of long CLI work (billing over many accounts, usage import, `demo --scale`), written to stderr so
 * stdout keeps the command's result (and its --json). On a terminal: a cli-progress bar with the rate and the
 * time left. Otherwise (a log file, CI, a pipe): a plain line every few seconds and one at the end, which a
 * log keeps readable where a redrawn bar would be noise. The domain only calls back with (done, total).
 */
export interface Progress {
  update(done: number, total: number): void;
  /** Ends the bar or writes the last line. Safe to call more than once. */
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain mode: at least this long between lines (default 5 s). */
  everyMs?: number;
  /** Milliseconds now; tests pass their own. */
  now?: () => number;
}

/** 83 → "1 min 23 s": how long until done. */
export function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export function startProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? barProgress(label, stream) : lineProgress(label, stream, options.everyMs ?? 5000, options.now ?? (() => performance.now()));
}

function barProgress(label: string, stream: NodeJS.WritableStream): Progress {
  // Loaded when a bar is drawn (on a terminal), not by every command that might draw one.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`, hideCursor: true, etaBuffer: 20, stream: stream as NodeJS.WriteStream },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let running = false;
  let stopped = false;
  return {
    update(done, total) {
      if (stopped || total <= 0) return;
      const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
      if (!running) bar.start(total, done, { rate });
      else bar.update(done, { rate });
      running = true;
    },
    stop() {
      if (running && !stopped) bar.stop();
      stopped = true;
    },
  };
}

function lineProgress(label: string, stream: NodeJS.WritableStream, everyMs: number, now: () => number): Progress {
  const started = now();
  let last: { done: number; total: number } | null = null;
  let lastAt = -Infinity;
  let written: { done: number; total: number } | null = null;
  let stopped = false;
  const write = (done: number, total: number) => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    const left = done >= total ? 'done' : `about ${eta(rate > 0 ? (total - done) / rate : Infinity)} left`;
    stream.write(`${label}: ${done}/${total} (${pct}%), ${Math.round(rate)}/s, ${left}\n`);
    written = { done, total };
  };
  return {
    update(done, total) {
      if (stopped || total <= 0) return;
      last = { done, total };
      const at = now();
      if (at - lastAt < everyMs) return;
      lastAt = at;
      write(done, total);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (last && (written?.done !== last.done || written?.total !== last.total)) write(last.done, last.total);
    },
  };
}
