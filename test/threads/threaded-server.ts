/**
 * Shared by the test/threads files: a wasmdis server with worker threads, in-process, and
 * small helpers to talk to it and to see which worker serves which connection.
 *
 * Every file starts its own server: `startServer({ threads: 2, port: 0, bind: '127.0.0.1' })`.
 * Worker threads load dist/src/server/thread-worker.js (docs/CONTRACTS.md "Threads"), so these
 * files need `npm run build` (`npm test` does it). When that file does not exist yet the server
 * runs its single-thread path and the tests must pass there too; the log line says which.
 */
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle, type ServerOptions } from '../../src/index.js';

export const THREADS = 2;

const THREAD_WORKER = fileURLToPath(new URL('../../dist/src/server/thread-worker.js', import.meta.url));

export interface Threaded {
  handle: ServerHandle;
  host: string;
  port: number;
  /** Threads of this process that appeared while the server started: its worker threads. */
  threadIds: number[];
  /** Close the server (idempotent); fails the test if it takes longer than 10 s. */
  stop(): Promise<void>;
}

/** Start wasmdis with {@link THREADS} worker threads on a free port of 127.0.0.1. */
export async function startThreaded(extra: Partial<ServerOptions> = {}, label = 'threads'): Promise<Threaded> {
  const opts: ServerOptions & { threads: number } = {
    port: 0,
    bind: '127.0.0.1',
    logLevel: 'silent',
    threads: THREADS,
    ...extra,
  };
  const built = fs.existsSync(THREAD_WORKER);
  console.log(
    `[${label}] startServer({ threads: ${opts.threads} })` +
      (built ? '' : ` — ${THREAD_WORKER} does not exist: this runs the single-thread path`),
  );
  const tidsBefore = threadCpu();
  const handle = await startServer(opts);
  const threadIds = [...threadCpu().keys()].filter((t) => !tidsBefore.has(t));
  let stopped: Promise<void> | undefined;
  return {
    handle,
    host: '127.0.0.1',
    port: handle.port,
    threadIds,
    stop: () =>
      (stopped ??= withTimeout(handle.close(), 10_000, 'ServerHandle.close()')),
  };
}

/** Reject with a clear message when `p` does not settle within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** An ioredis client that neither retries nor reconnects (a failure must show). */
export async function ioredis(t: { host: string; port: number }, extra: Record<string, unknown> = {}): Promise<Redis> {
  const r = new Redis({
    host: t.host,
    port: t.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    ...extra,
  });
  r.on('error', () => {
    /* surfaced through command rejections */
  });
  await r.connect();
  return r;
}

/** Quit every client, or drop it if it is already gone. */
export async function quitAll(clients: readonly Redis[]): Promise<void> {
  await Promise.all(
    clients.map(async (c) => {
      if (c.status === 'end') return;
      await withTimeout(c.quit(), 2000, 'QUIT').catch(() => c.disconnect());
    }),
  );
}

/** One CLIENT LIST line as field → value. */
export function parseClientLine(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of line.trim().split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

/** CLIENT LIST as parsed lines. */
export function parseClientList(text: string): Record<string, string>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(parseClientLine);
}

/**
 * The worker a CLIENT LIST line says the connection is on, if the server shows it (the field
 * name is the implementation's choice; Redis itself has none), else undefined.
 */
export function workerOf(fields: Record<string, string>): string | undefined {
  for (const k of ['worker', 'thread', 'tid', 'io-thread', 'io_thread', 'shard']) {
    if (fields[k] !== undefined) return `${k}=${fields[k]}`;
  }
  return undefined;
}

/** "worker=0: 5, worker=1: 3" or a note that CLIENT LIST does not say. */
export function describeDistribution(list: Record<string, string>[]): string {
  const counts = new Map<string, number>();
  for (const f of list) {
    const w = workerOf(f);
    if (w === undefined) return `${list.length} connection(s); CLIENT LIST does not show the worker`;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return `${list.length} connection(s): ${[...counts].map(([w, n]) => `${w}: ${n}`).join(', ')}`;
}

/** Resolve once `check()` returns true, polling every 20 ms; false after `ms`. */
export async function eventually(check: () => Promise<boolean>, ms = 1000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** CPU time (ms) of every thread of this process (Linux /proc), by thread id; empty elsewhere. */
export function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  if (process.platform !== 'linux') return out;
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields 14 and 15 (utime, stime) in clock ticks, usually 100 per second
      out.set(Number(t), (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // thread ended
    }
  }
  return out;
}

/**
 * CPU time of the server's threads between two {@link threadCpu} samples, e.g. "tid 812: 410 ms,
 * tid 813: 380 ms": with the load spread over the workers, each of them shows some.
 */
export function describeServerCpu(server: Threaded, before: Map<number, number>, after: Map<number, number>): string {
  if (server.threadIds.length === 0) return 'no worker threads seen (single-thread server, or no /proc)';
  return server.threadIds.map((t) => `tid ${t}: ${(after.get(t) ?? 0) - (before.get(t) ?? 0)} ms`).join(', ');
}

/**
 * A lean pipelining client for load: writes a prepared buffer of commands and resolves with
 * their replies as strings, for simple replies only (+, -, :, $). Error replies come back as
 * "-ERR …". Cheaper per reply than ioredis, so the server, not the test, is the busy side.
 */
export class PipeClient {
  private pending: Buffer = Buffer.alloc(0);
  private want = 0;
  private got: string[] = [];
  private done: ((r: string[]) => void) | undefined;
  private fail: ((e: Error) => void) | undefined;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    const onEnd = (e?: Error) => this.fail?.(e ?? new Error(`connection closed with ${this.want - this.got.length} replies missing`));
    socket.on('error', onEnd);
    socket.on('close', () => onEnd());
  }

  static connect(t: { host: string; port: number }): Promise<PipeClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ host: t.host, port: t.port }, () => {
        s.off('error', reject);
        resolve(new PipeClient(s));
      });
      s.once('error', reject);
    });
  }

  /** Send `bytes` (holding `replies` commands) and resolve with that many replies. */
  run(bytes: Buffer, replies: number): Promise<string[]> {
    if (this.done) throw new Error('PipeClient: one run at a time');
    this.want = replies;
    this.got = [];
    const p = new Promise<string[]>((resolve, reject) => {
      this.done = resolve;
      this.fail = reject;
    });
    this.socket.write(bytes);
    return p;
  }

  private onData(d: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, d]) : d;
    let pos = 0;
    for (;;) {
      const eol = buf.indexOf('\r\n', pos, 'latin1');
      if (eol < 0) break;
      const type = buf[pos];
      if (type === 0x24 /* $ */) {
        const len = Number(buf.toString('latin1', pos + 1, eol));
        if (len < 0) {
          this.got.push('(nil)');
          pos = eol + 2;
        } else {
          if (eol + 2 + len + 2 > buf.length) break;
          this.got.push(buf.toString('utf8', eol + 2, eol + 2 + len));
          pos = eol + 2 + len + 2;
        }
      } else if (type === 0x3a /* : */ || type === 0x2b /* + */ || type === 0x2d /* - */) {
        this.got.push(type === 0x2d ? buf.toString('utf8', pos, eol) : buf.toString('latin1', pos + 1, eol));
        pos = eol + 2;
      } else {
        this.fail?.(new Error(`PipeClient: unexpected reply type ${String.fromCharCode(type ?? 0)}`));
        return;
      }
    }
    this.pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : Buffer.alloc(0);
    if (this.done && this.got.length >= this.want) {
      const done = this.done;
      this.done = this.fail = undefined;
      done(this.got);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    });
  }
}
