// Starting and stopping the servers under test, and never leaving one behind.
//
// It owns: free ports on 127.0.0.1, the command templates for redis-server and wasmdis,
// spawning (each server in its own empty temporary working directory, so a dump.rdb or an
// appendonly file never lands in the repository), waiting for PING, stopping, and the
// process-wide cleanup that kills every child on exit, Ctrl-C, SIGTERM or an uncaught error.
// It must not start anything on port 6379 or on any address other than 127.0.0.1.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pingOnce } from './resp-connection.mjs';

/** Repository root (bench/lib/../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Default command templates; `{port}` and `{root}` are substituted. */
export const DEFAULT_REDIS_CMD = "redis-server --port {port} --save '' --appendonly no";
export const DEFAULT_WASMDIS_CMD = 'node {root}/dist/src/cli.js --port {port}';

/** Command templates for the two slots, overridable with BENCH_REDIS_CMD / BENCH_WASMDIS_CMD. */
export function serverCommands() {
  return {
    redis: process.env.BENCH_REDIS_CMD || DEFAULT_REDIS_CMD,
    wasmdis: process.env.BENCH_WASMDIS_CMD || DEFAULT_WASMDIS_CMD,
  };
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every child process we start is registered here until it has exited.

const liveChildren = new Set();
const liveTempDirs = new Set();
let cleanupInstalled = false;
let interruptedBy = null;

/** The signal that asked this process to stop, or null: runners stop starting new work. */
export function interrupted() {
  return interruptedBy;
}

/** A fresh temporary directory, removed when the server stops or this process exits. */
function makeTempDir(prefix) {
  installCleanup();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  liveTempDirs.add(dir);
  return dir;
}

function removeTempDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  liveTempDirs.delete(dir);
}

/** Register a child process so that it is killed if this process exits or is interrupted. */
export function trackChild(child) {
  installCleanup();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

function killAllNow(signal) {
  for (const child of liveChildren) {
    for (const pid of [...descendantPids(child.pid), child.pid]) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    killAllNow('SIGKILL');
    for (const dir of liveTempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      interruptedBy = signal;
      process.stderr.write(`\n${signal}: stopping ${liveChildren.size} child process(es)\n`);
      killAllNow('SIGTERM');
      // A moment for the servers to exit (their files are in our temp dirs), then go; the
      // 'exit' handler SIGKILLs whatever is left and removes the temp dirs.
      setTimeout(() => process.exit(130), 300);
    });
  }
  process.on('uncaughtException', (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1); // the 'exit' handler kills the children
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}

// ---------------------------------------------------------------------------------------------
// Ports and command lines.

/** A port that was free on 127.0.0.1 a moment ago (never 6379). */
export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address();
        srv.close(() => resolve(port));
      });
    });
    if (port !== 6379) return port;
  }
}

/** Split a command line like a POSIX shell would for simple cases: quotes and backslashes. */
export function splitCommandLine(line) {
  const words = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new Error(`unterminated quote in command line: ${line}`);
  if (word !== null) words.push(word);
  return words;
}

/**
 * Turn a template into argv. `node` becomes this Node binary; relative paths that exist under
 * the repository root become absolute, because servers run in a temporary directory.
 */
export function resolveCommand(template, port) {
  const argv = splitCommandLine(template.replaceAll('{root}', repoRoot).replaceAll('{port}', String(port)));
  if (argv.length === 0) throw new Error('empty server command');
  if (argv[0] === 'node') argv[0] = process.execPath;
  return argv.map((arg, i) => {
    if (i === 0 && !arg.includes('/')) return arg;
    if (arg.startsWith('-') || path.isAbsolute(arg) || !arg.includes('/')) return arg;
    const candidate = path.join(repoRoot, arg);
    return fs.existsSync(candidate) ? candidate : arg;
  });
}

// ---------------------------------------------------------------------------------------------
// Process tree helpers (Linux /proc).

function readParentPids() {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      // "pid (comm) state ppid …": comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // process exited while scanning
    }
  }
  return parents;
}

/** All descendant pids of `pid` (children, grandchildren, …). */
export function descendantPids(pid) {
  if (!pid || process.platform !== 'linux') return [];
  const parents = readParentPids();
  const found = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift();
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** VmRSS in bytes of `pid` plus its descendants (a wrapper like npx must not hide the server). */
export function processTreeRss(pid) {
  let total = 0;
  for (const p of [pid, ...descendantPids(pid)]) {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'latin1');
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * CPU seconds (user + system, all threads) used so far by `pid` and its descendants, or null
 * when /proc cannot tell. The difference over a run divided by its wall time is how many cores
 * the server kept busy.
 */
export function processTreeCpuSeconds(pid) {
  if (!pid || process.platform !== 'linux') return null;
  const ticksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on
  let ticks = 0;
  let seen = false;
  for (const p of [pid, ...descendantPids(pid)]) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      seen = true;
    } catch {
      // gone
    }
  }
  return seen ? ticks / ticksPerSecond : null;
}

// ---------------------------------------------------------------------------------------------
// Servers.

const LOG_TAIL_BYTES = 16 * 1024;

/**
 * A running server under test.
 * @typedef {{ name: string, port: number, pid: number, argv: string[], child: import('node:child_process').ChildProcess,
 *   logTail: () => string, exited: () => boolean, stop: () => Promise<void> }} ServerHandle
 */

/**
 * Start a server from a command template and wait until it answers PING.
 * @param {{ name: string, template: string, readyTimeoutMs?: number }} opts
 * @returns {Promise<ServerHandle>}
 */
export async function startServer({ name, template, readyTimeoutMs = 30_000 }) {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOnPort({ name, template, port, readyTimeoutMs });
    } catch (err) {
      lastError = err;
      // A lost race for the port is worth another try; anything else is not.
      if (!/EADDRINUSE|address already in use/i.test(String(err.message))) break;
    }
  }
  throw lastError;
}

async function startOnPort({ name, template, port, readyTimeoutMs }) {
  const argv = resolveCommand(template, port);
  const cwd = makeTempDir(`wasmdis-bench-${name}-`);
  let log = '';
  const append = (chunk) => {
    log += chunk.toString('utf8');
    if (log.length > LOG_TAIL_BYTES * 2) log = log.slice(-LOG_TAIL_BYTES);
  };
  const child = trackChild(spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exitInfo = null;
  let spawnError = null;
  const exited = new Promise((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      exitInfo ??= { code: null, signal: null };
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve();
    });
  });
  const removeCwd = () => removeTempDir(cwd);

  const handle = {
    name,
    port,
    pid: child.pid,
    argv,
    child,
    logTail: () => log.slice(-4000),
    exited: () => exitInfo !== null,
    async stop() {
      if (!exitInfo) {
        const tree = descendantPids(child.pid);
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
        for (const pid of tree) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      removeCwd();
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exitInfo) {
      removeCwd();
      const why = spawnError ? spawnError.message : `exited with code ${exitInfo.code} signal ${exitInfo.signal}`;
      throw new Error(`${name} (${argv.join(' ')}) ${why} before answering PING\n--- log tail ---\n${log.slice(-4000)}`);
    }
    if (await pingOnce(port)) return handle;
    await new Promise((r) => setTimeout(r, 50));
  }
  await handle.stop();
  throw new Error(`${name} (${argv.join(' ')}) did not answer PING on port ${port} within ${readyTimeoutMs} ms\n--- log tail ---\n${log.slice(-4000)}`);
}

/** `redis-server --version` style first line of a program, or null when it is not installed. */
export async function programVersion(argv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', () => resolve(null));
    child.once('exit', (code) => resolve(code === 0 ? out.trim().split('\n')[0] : null));
  });
}

/** Fail early, with the fix in the message, when a required program is missing. */
export async function requirePrograms(names) {
  for (const name of names) {
    if ((await programVersion([name, '--version'])) === null) {
      throw new Error(`${name} not found on PATH (install with: apt-get install -y redis-server redis-tools)`);
    }
  }
}

/** Check that the default wasmdis build exists, unless BENCH_WASMDIS_CMD overrides it. */
export function requireWasmdisBuild() {
  if (process.env.BENCH_WASMDIS_CMD) return;
  const cli = path.join(repoRoot, 'dist', 'src', 'cli.js');
  if (!fs.existsSync(cli)) {
    throw new Error(`${cli} not found: run \`npm run build\` first (or set BENCH_WASMDIS_CMD)`);
  }
}
