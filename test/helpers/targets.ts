/**
 * The server under test ("target").
 *
 * By default the target is wasmdis itself: `startServer()` from src/index.ts, in-process, on an
 * ephemeral port (docs/CONTRACTS.md). Environment WASMDIS_TARGET selects another one:
 *
 *   WASMDIS_TARGET=wasmdis  (default) in-process startServer({ port: 0, ...opts, logLevel: 'silent' })
 *   WASMDIS_TARGET=cli      spawn `node dist/src/cli.js --port P` (needs `npm run build`)
 *   WASMDIS_TARGET=redis    a second redis-server: proves the harness (redis vs redis)
 *
 * Environment WASMDIS_THREADS=N runs every wasmdis target with N worker threads (issue #3,
 * docs/CONTRACTS.md "Threads"): `startServer({ threads: N })` in-process, `--threads N` for the
 * cli target. Unset: the library default (1) in-process, the CLI's own default (one thread per
 * core) for the cli target. Each test file logs once which thread count its target runs with.
 * N > 1 needs `npm run build` (worker threads load dist/src/server/thread-worker.js).
 *
 * There is no silent fallback: if wasmdis cannot be started the tests that need it fail with
 * a message saying why.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { freePort, startRedis, waitForPing } from './redis-oracle.js';

export type TargetKind = 'wasmdis' | 'cli' | 'redis';

export interface TargetOptions {
  requirepass?: string;
  databases?: number;
  bind?: string;
  /** Redis config directives, e.g. { 'proto-max-bulk-len': '1mb' }. */
  config?: Record<string, string>;
  /** Worker threads of a wasmdis target (default: WASMDIS_THREADS, see the module comment). */
  threads?: number;
}

export interface Target {
  kind: TargetKind;
  /** Human-readable, for transcripts: "wasmdis", "redis-server (as target)". */
  name: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

export function targetKind(): TargetKind {
  const v = (process.env.WASMDIS_TARGET ?? 'wasmdis').toLowerCase();
  if (v === 'redis' || v === 'redis-server') return 'redis';
  if (v === 'cli') return 'cli';
  if (v === '' || v === 'wasmdis') return 'wasmdis';
  throw new Error(`WASMDIS_TARGET=${v}: expected wasmdis, cli or redis`);
}

/** WASMDIS_THREADS as a thread count, or undefined when unset. */
export function targetThreads(): number | undefined {
  const v = (process.env.WASMDIS_THREADS ?? '').trim();
  if (v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`WASMDIS_THREADS=${v}: expected a positive integer`);
  return n;
}

const THREAD_WORKER = new URL('../../dist/src/server/thread-worker.js', import.meta.url);

/** Fail early, with the fix in the message, when N > 1 threads would need a missing build. */
function requireThreadWorker(threads: number | undefined): void {
  if (threads !== undefined && threads > 1 && !fs.existsSync(fileURLToPath(THREAD_WORKER))) {
    throw new Error(
      `wasmdis target with ${threads} threads: ${fileURLToPath(THREAD_WORKER)} not found (run npm run build)`,
    );
  }
}

let announced = false;

/** Log, once per test file, which server and thread count the target is (for CI logs). */
function announce(line: string): void {
  if (announced) return;
  announced = true;
  console.log(`[target] ${line}`);
}

interface ServerHandleLike {
  port: number;
  host?: string;
  close(): Promise<void>;
}

const HINT = 'Set WASMDIS_TARGET=redis to run the harness against a second redis-server instead.';

/** Start the server under test (see module comment). */
export async function startWasmdis(opts: TargetOptions = {}): Promise<Target> {
  const kind = targetKind();
  if (kind === 'redis') {
    announce('redis-server (WASMDIS_TARGET=redis; WASMDIS_THREADS does not apply)');
    return startRedisTarget(opts);
  }
  const threads = opts.threads ?? targetThreads();
  requireThreadWorker(threads);
  if (kind === 'cli') {
    announce(
      threads === undefined
        ? 'wasmdis cli, threads: CLI default (one per core; set WASMDIS_THREADS to choose)'
        : `wasmdis cli, --threads ${threads}`,
    );
    return startCliTarget(opts, threads);
  }
  announce(`wasmdis in-process, threads: ${threads ?? '1 (library default)'}`);

  const spec = new URL('../../src/index.ts', import.meta.url);
  if (!fs.existsSync(fileURLToPath(spec))) {
    throw new Error(`wasmdis target: src/index.ts does not exist yet. ${HINT}`);
  }
  let mod: { startServer?: unknown };
  try {
    mod = (await import(/* @vite-ignore */ spec.href)) as { startServer?: unknown };
  } catch (e) {
    const err = new Error(`wasmdis target: importing src/index.ts failed: ${(e as Error).message}. ${HINT}`);
    (err as Error & { cause?: unknown }).cause = e;
    throw err;
  }
  if (typeof mod.startServer !== 'function') {
    throw new Error(`wasmdis target: src/index.ts does not export startServer() yet. ${HINT}`);
  }
  const startServer = mod.startServer as (o: Record<string, unknown>) => Promise<ServerHandleLike>;
  const { threads: _threads, ...serverOpts } = opts;
  const handle = await startServer({
    port: 0,
    ...serverOpts,
    ...(threads !== undefined ? { threads } : {}),
    logLevel: 'silent',
  });
  if (!handle || typeof handle.port !== 'number' || handle.port <= 0) {
    throw new Error(`wasmdis target: startServer() resolved without a port: ${JSON.stringify(handle)}`);
  }
  const host = connectHost(handle.host ?? opts.bind);
  let stopped: Promise<void> | undefined;
  return {
    kind,
    name: 'wasmdis',
    host,
    port: handle.port,
    stop: () => (stopped ??= handle.close()),
  };
}

/** Where to connect for a server bound to `bind` (wildcards → loopback). */
function connectHost(bind: string | undefined): string {
  if (!bind || bind === '0.0.0.0' || bind === '::' || bind === '*' || bind === 'localhost') return '127.0.0.1';
  return bind.split(/\s+/)[0]!;
}

function redisConfig(opts: TargetOptions): Record<string, string> {
  const config: Record<string, string> = { ...(opts.config ?? {}) };
  if (opts.requirepass !== undefined) config.requirepass = opts.requirepass;
  if (opts.databases !== undefined) config.databases = String(opts.databases);
  return config;
}

async function startRedisTarget(opts: TargetOptions): Promise<Target> {
  const r = await startRedis({ config: redisConfig(opts) });
  return { kind: 'redis', name: 'redis-server #2', host: r.host, port: r.port, stop: () => r.stop() };
}

async function startCliTarget(opts: TargetOptions, threads: number | undefined): Promise<Target> {
  const cli = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
  if (!fs.existsSync(cli)) throw new Error(`wasmdis cli target: ${cli} not found (run npm run build)`);
  const host = '127.0.0.1';
  const port = await freePort(host);
  const argv = [cli, '--port', String(port), '--bind', host];
  if (threads !== undefined) argv.push('--threads', String(threads));
  for (const [k, v] of Object.entries(redisConfig(opts))) argv.push(`--${k}`, v);
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const onOut = (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
  };
  child.stdout!.on('data', onOut);
  child.stderr!.on('data', onOut);
  let exited: string | undefined;
  const exitP = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exited = `wasmdis cli exited (code ${code}, signal ${sig}):\n${log}`;
      resolve();
    }),
  );
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  try {
    await waitForPing(port, host, 20_000, () => exited);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    kind: 'cli',
    name: 'wasmdis (cli)',
    host,
    port,
    stop: () =>
      (stopped ??= (async () => {
        process.off('exit', kill);
        if (exited === undefined) {
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exitP;
          clearTimeout(t);
        }
      })()),
  };
}

/**
 * Inside a describe(): start the target before the tests and stop it afterwards.
 * Returns a getter (the target exists only once beforeAll has run).
 */
export function useTarget(opts: TargetOptions = {}): () => Target {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await startWasmdis(opts);
  }, 60_000);
  afterAll(async () => {
    await target?.stop();
  }, 30_000);
  return () => {
    if (!target) throw new Error('target not started');
    return target;
  };
}
