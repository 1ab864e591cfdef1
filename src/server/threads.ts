/**
 * The supervisor of a multi-threaded server (main thread): it creates the shared engine memory,
 * starts the worker threads, runs the periodic cycle, and is the one bus for every event that
 * crosses threads — CLIENT LIST/KILL requests, CONFIG SET, SHUTDOWN, and failures.
 *
 * Threads and what they own:
 *   main     Config (a copy per thread, kept equal through this bus), the cron, shutdown order.
 *   worker i its sockets and Sessions, its EngineCore (region) over the shared memory.
 * The keyspace itself is shared: every engine instance takes the keyspace lock (in the shared
 * header, assembly/lock.ts) around each batch it executes, so commands from any thread are
 * serialised as in single-threaded Redis; parsing and socket I/O run outside the lock.
 *
 * A worker that fails (an exception escaping its event loop, a WebAssembly trap, an unexpected
 * exit) may have left the keyspace lock held: the supervisor logs the cause and stops the whole
 * server rather than serve half-alive.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { EngineCore } from '../engine/core.js';
import { packageRoot } from '../engine/wasm.js';
import { applyEngineConfig } from './engine-config.js';
import { SharedCounters, OpsSampler } from './cluster.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { ServerHandle } from './server.js';
import type { ToWorker, FromWorker, WorkerInit, BusOp } from './thread-messages.js';

/** Start `threads` worker threads serving connections; see the module comment. */
export async function startThreadedServer(config: Config, log: Logger, threads: number, configFile: string, commandsModule?: string): Promise<ServerHandle> {
  const counters = new SharedCounters();
  const core = new EngineCore({ databases: config.getNumber('databases') });
  counters.addRegion(core.region);
  applyEngineConfig(config, core);
  const script = join(packageRoot(), 'dist', 'src', 'server', 'thread-worker.js');

  const workers: Worker[] = [];
  let stopping = false;
  let failure: Error | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  let closing: Promise<void> | undefined;
  let pidfile = '';

  // bus requests: fan out to every worker, gather, answer the one that asked
  let nextRequest = 1;
  const gathering = new Map<number, { from: Worker; op: BusOp; waiting: number; results: unknown[] }>();

  const post = (w: Worker, m: ToWorker) => w.postMessage(m);

  const stop = (reason?: Error): Promise<void> => {
    if (reason && !failure) failure = reason;
    closing ??= (async () => {
      stopping = true;
      clearInterval(cron);
      // ask each worker to close its sockets, then end the threads
      await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3000);
        w.once('exit', () => { clearTimeout(timer); resolve(); });
        try { post(w, { t: 'close' }); } catch { resolve(); }
      })));
      await Promise.all(workers.map((w) => w.terminate()));
      if (pidfile) rmSync(pidfile, { force: true });
      resolveClosed();
    })();
    return closing;
  };

  const onMessage = (from: Worker, m: FromWorker): void => {
    switch (m.t) {
      case 'req': {
        const id = nextRequest++;
        gathering.set(id, { from, op: m.op, waiting: workers.length, results: [] });
        for (const w of workers) post(w, { t: 'do', id, op: m.op, requestId: m.id });
        break;
      }
      case 'done': {
        const g = gathering.get(m.id);
        if (!g) break;
        g.results.push(m.result);
        if (--g.waiting === 0) {
          gathering.delete(m.id);
          post(g.from, { t: 'res', id: m.requestId, results: g.results });
        }
        break;
      }
      case 'config':
        config.apply(m.name, m.value, true);
        for (const w of workers) if (w !== from) post(w, { t: 'config', name: m.name, value: m.value });
        break;
      case 'shutdown':
        log.warning('User requested shutdown...');
        log.notice('wasmdis is now ready to exit, bye bye...');
        void stop();
        break;
      case 'fatal':
        log.warning(`Worker thread failed, stopping the server: ${m.error}`);
        void stop(new Error(m.error));
        break;
      default:
        break;
    }
  };

  const spawn = (index: number, init: Omit<WorkerInit, 'index'>): Promise<FromWorker & { t: 'ready' }> =>
    new Promise((resolve, reject) => {
      const data: WorkerInit = { ...init, index };
      const w = new Worker(script, { workerData: data });
      workers.push(w);
      w.on('message', (m: FromWorker) => {
        if (m.t === 'ready') resolve(m);
        else if (m.t === 'listenError') reject(Object.assign(new Error(m.message), { code: m.code }));
        else onMessage(w, m);
      });
      w.on('error', (err) => {
        log.warning(`Worker thread ${index} failed: ${err.stack ?? err}`);
        reject(err);
        void stop(err);
      });
      w.on('exit', (code) => {
        if (stopping) return;
        const err = new Error(`worker thread ${index} exited unexpectedly (code ${code})`);
        log.warning(`${err.message}; stopping the server`);
        reject(err);
        void stop(err);
      });
    });

  const base = {
    memory: core.memory,
    counters: counters.buffer,
    config: config.entries(),
    logLevel: log.level,
    logfile: config.get('logfile') ?? '',
    configFile,
    executable: process.argv[1] ?? '',
    threads,
    commandsModule,
  };
  let cron: NodeJS.Timeout | undefined;
  let ready;
  try {
    // the first worker opens the listening sockets; the others accept on the same fds
    const first = await spawn(0, { ...base, fds: [] });
    ready = first;
    await Promise.all(Array.from({ length: threads - 1 }, (_, i) => spawn(i + 1, { ...base, fds: first.fds, port: first.port })));
  } catch (err) {
    stopping = true;
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  // periodic work (active expiry, incremental rehashing) runs here, on the supervisor's instance
  const sampler = new OpsSampler(counters, () => counters.regionList().reduce((a, r) => a + core.regionCounters(r).commands, 0));
  cron = setInterval(() => {
    if (counters.activeExpire) core.cron();
    sampler.tick();
  }, Math.floor(1000 / Math.min(500, Math.max(1, config.getNumber('hz')))));
  cron.unref();
  pidfile = config.get('pidfile') ?? '';
  if (pidfile) writeFileSync(pidfile, `${process.pid}\n`);
  log.notice(`Server initialized, ${threads} worker threads over one shared memory`);
  log.notice(`Ready to accept connections tcp on ${ready.addresses.join(', ')} port ${ready.port}`);
  return {
    port: ready.port,
    host: ready.host,
    close: () => stop(),
    closed,
    get failure() { return failure; },
  };
}
