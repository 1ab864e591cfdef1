/**
 * Throwaway redis-server instances (the oracle for differential tests).
 *
 *   const r = await startRedis();   // own port, temp dir, no persistence
 *   ...
 *   await r.stop();
 *
 * `redisAvailable()` tells whether redis-server is installed; `describeWithRedis()` is a
 * `describe` that is skipped with a visible notice when it is not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';

export interface RedisInstance {
  port: number;
  host: string;
  pid: number;
  dir: string;
  /** Last part of the server's log (stdout/stderr). */
  log(): string;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Extra `--name value` config; e.g. { requirepass: 'secret', databases: '4' }. */
  config?: Record<string, string | number>;
  /** Extra raw argv items. */
  args?: string[];
  /** Milliseconds to wait for PING (default 15 s). */
  startTimeout?: number;
}

const availability = new Map<string, boolean>();

function binaryWorks(bin: string): boolean {
  let ok = availability.get(bin);
  if (ok === undefined) {
    const r = spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 5000 });
    ok = r.status === 0;
    availability.set(bin, ok);
  }
  return ok;
}

/** True when `redis-server --version` runs. */
export function redisAvailable(): boolean {
  return binaryWorks('redis-server');
}

export function redisCliAvailable(): boolean {
  return binaryWorks('redis-cli');
}

export function redisBenchmarkAvailable(): boolean {
  return binaryWorks('redis-benchmark');
}

/** `redis-server --version` text, e.g. "7.0.15", or undefined. */
export function redisVersion(): string | undefined {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5000 });
  return /v=(\S+)/.exec(r.stdout ?? '')?.[1];
}

const warned = new Set<string>();
function notice(what: string, name: string): void {
  const key = `${what}:${name}`;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(
    `\n[wasmdis tests] SKIPPED "${name}": ${what} is not installed ` +
      `(apt-get install -y redis-server redis-tools; .ci/run does this).\n`,
  );
}

/** describe() that needs redis-server; skipped with a visible notice when it is missing. */
export function describeWithRedis(name: string, fn: () => void): void {
  if (redisAvailable()) describe(name, fn);
  else {
    notice('redis-server', name);
    describe.skip(name, fn);
  }
}

/** describe() that needs a given binary (redis-cli, redis-benchmark). */
export function describeWithBinary(bin: string, name: string, fn: () => void): void {
  if (binaryWorks(bin)) describe(name, fn);
  else {
    notice(bin, name);
    describe.skip(name, fn);
  }
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolve once a PING on host:port answers +PONG (or -NOAUTH: the server is up). */
export async function waitForPing(
  port: number,
  host: string,
  timeoutMs: number,
  isDead: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead !== undefined) throw new Error(dead);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ port, host });
      let got = '';
      const t = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 1000);
      s.on('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
      s.on('data', (d) => {
        got += d.toString('latin1');
        if (got.includes('\r\n')) {
          clearTimeout(t);
          s.destroy();
          resolve(got.startsWith('+PONG') || got.startsWith('-NOAUTH'));
        }
      });
      s.on('error', (e) => {
        lastErr = e.message;
        clearTimeout(t);
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${host}:${port} did not answer PING within ${timeoutMs} ms (${lastErr})`);
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

/** Start a throwaway redis-server on a free port; resolves once PING answers. */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisInstance> {
  if (!redisAvailable()) throw new Error('redis-server is not installed');
  installExitHook();
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      lastError = e;
      // Port taken between freePort() and bind: try another one.
      if (!/Address already in use|bind|did not answer/i.test(String((e as Error).message))) throw e;
    }
  }
  throw lastError;
}

async function startOnce(opts: StartRedisOptions): Promise<RedisInstance> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmdis-redis-'));
  const argv = [
    '--port', String(port),
    '--bind', host,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--dir', dir,
    '--logfile', '',
    '--loglevel', 'warning',
  ];
  for (const [k, v] of Object.entries(opts.config ?? {})) argv.push(`--${k}`, String(v));
  argv.push(...(opts.args ?? []));
  const child = spawn('redis-server', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let log = '';
  const onOut = (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
  };
  child.stdout!.on('data', onOut);
  child.stderr!.on('data', onOut);
  let exited: string | undefined;
  const exitP = new Promise<void>((resolve) => {
    child.once('exit', (code, sig) => {
      exited = `redis-server exited (code ${code}, signal ${sig}) while starting on port ${port}:\n${log}`;
      live.delete(child);
      resolve();
    });
  });
  try {
    await waitForPing(port, host, opts.startTimeout ?? 15_000, () => exited);
  } catch (e) {
    child.kill('SIGKILL');
    await exitP;
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    port,
    host,
    pid: child.pid!,
    dir,
    log: () => log,
    stop() {
      if (!stopped) {
        stopped = (async () => {
          if (exited === undefined) {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exitP;
            clearTimeout(t);
          }
          fs.rmSync(dir, { recursive: true, force: true });
        })();
      }
      return stopped;
    },
  };
}
