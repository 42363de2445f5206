/**
 * The servers under test run as real child processes (their own event loop and CPU account, as in
 * production), each on a port picked here, and count as started when their ready URL first answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  port: number;
  /** Path polled until it answers; the server counts as started then. */
  readyPath: string;
  /** Which statuses of the ready URL mean "up" (default: 200 only). */
  readyStatus?: (status: number) => boolean;
  timeoutMs?: number;
}

export interface RunningChild {
  name: string;
  pid: number;
  url: string;
  /** Wall milliseconds from spawn to the first ready answer. */
  startupMs: number;
  /** The last lines the process wrote (for error reports). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function keepTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const take = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => lines.join('\n');
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function pollReady(url: string, ok: (status: number) => boolean, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (ok(res.status)) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`not ready at ${url} in time`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Spawns a server and resolves once its ready URL answers; rejects (after killing it) if it never does. */
export async function startChild(spec: ServerSpec): Promise<RunningChild> {
  const started = performance.now();
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepTail(child);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const url = `http://127.0.0.1:${spec.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, 15_000))) {
      child.kill('SIGKILL');
      await waitExit(child, 5_000);
    }
  };
  try {
    await Promise.race([
      pollReady(url + spec.readyPath, spec.readyStatus ?? ((s) => s === 200), child, started + (spec.timeoutMs ?? 120_000)),
      spawnError,
    ]);
  } catch (e) {
    await stop();
    throw new Error(`${spec.name}: ${(e as Error).message}\n${output()}`);
  }
  return { name: spec.name, pid: child.pid!, url, startupMs: performance.now() - started, output, stop };
}
