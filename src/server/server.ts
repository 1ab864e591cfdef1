/**
 * Starting the TCP server: configuration, then either one thread serving connections itself
 * (ConnectionServer on the main thread) or a supervisor with worker threads (threads.ts).
 *
 * Owns: the options → Config mapping, start-up and shutdown order, the pidfile, the periodic
 * cycle of the one-thread server.
 */
import type net from 'node:net';
import { writeFileSync, rmSync } from 'node:fs';
import { EngineCore } from '../engine/core.js';
import { ServerState } from './state.js';
import { Config } from './config.js';
import { applyEngineConfig } from './engine-config.js';
import { Logger, type LogLevel } from './log.js';
import { ConnectionServer } from './connections.js';
import { listenAll, closeAll, type Listeners } from './listen.js';
import { startThreadedServer } from './threads.js';
import { OpsSampler } from './cluster.js';
import { CustomCommands, importCommandsModule, moduleHref, type CustomCommandTable, type CustomCommandSpec } from '../commands/custom.js';

/** Options of {@link startServer}; every redis.conf parameter can also be given in `config`. */
export interface ServerOptions {
  /** TCP port (default 6379; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default: all interfaces, as Redis's `bind * -::*`). */
  bind?: string;
  /** Password of the default user (requirepass). */
  requirepass?: string;
  /** Number of databases (default 16). */
  databases?: number;
  /** A redis.conf-style file read first; the other options override it. */
  configFile?: string;
  /** Any other parameters, as in redis.conf (`{ hz: '20', 'maxmemory-policy': 'allkeys-lru' }`). */
  config?: Record<string, string | string[]>;
  /** Log level (default notice; 'silent' for tests). */
  logLevel?: LogLevel;
  /**
   * Threads serving connections (default 1). With N > 1 the main thread supervises and N worker
   * threads, each with its own engine instance over the one shared memory, accept connections.
   */
  threads?: number;
  /**
   * Custom commands served beside the built-in ones: `{ MYCMD: { arity: 2, flags: ['write'],
   * firstKey: 1, handler(ctx) { … } } }` (see {@link CustomCommandSpec}). A name that is a
   * built-in command is refused. Not with `threads` > 1 (functions cannot be sent to worker
   * threads): use `commandsModule` there.
   */
  commands?: CustomCommandTable;
  /**
   * A module (path or URL) whose `commands` export is a {@link CustomCommandTable}: works with
   * any number of threads, as every worker thread imports it.
   */
  commandsModule?: string | URL;
}

/** A running server. */
export interface ServerHandle {
  /** Port listened on (useful with port 0). */
  port: number;
  host: string;
  /** Stop accepting, close every connection, stop timers (and worker threads). */
  close(): Promise<void>;
  /** Resolves when the server has stopped (close(), SHUTDOWN, or a failure). */
  closed: Promise<void>;
  /** Why the server stopped on its own, if it failed (an engine trap, a worker thread error). */
  readonly failure: Error | undefined;
}

/** Build the Config from options (config file first, then explicit options). */
export function buildConfig(opts: ServerOptions): Config {
  const config = new Config();
  if (opts.configFile) config.loadFile(opts.configFile);
  for (const [k, v] of Object.entries(opts.config ?? {})) config.setStartup(k, Array.isArray(v) ? v : [v]);
  if (opts.port !== undefined) config.setStartup('port', [String(opts.port)]);
  if (opts.bind !== undefined) config.setStartup('bind', opts.bind.split(/\s+/));
  if (opts.requirepass !== undefined) config.setStartup('requirepass', [opts.requirepass]);
  if (opts.databases !== undefined) config.setStartup('databases', [String(opts.databases)]);
  return config;
}

/** Start a wasmdis server (one thread, or a supervisor and `threads` worker threads). */
export async function startServer(opts: ServerOptions = {}): Promise<ServerHandle> {
  const config = buildConfig(opts);
  const log = new Logger(opts.logLevel ?? (config.get('loglevel') as LogLevel), 'M', config.get('logfile') || undefined);
  if (config.get('daemonize') === 'yes') log.warning('daemonize yes is not supported by wasmdis: running in the foreground (use your service manager to background it)');
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
  if (opts.commands && opts.commandsModule) throw new Error('wasmdis: give either commands or commandsModule, not both');
  if (opts.commands && threads > 1) {
    throw new Error('wasmdis: commands cannot be sent to worker threads (threads > 1); put them in a module ' +
      'exporting `commands` and pass its path or URL as commandsModule');
  }
  // checked here, before any thread starts, so a bad table fails start-up with its own error
  const commandsUrl = opts.commandsModule === undefined ? undefined : moduleHref(opts.commandsModule);
  const table = opts.commands ?? (commandsUrl ? await importCommandsModule(commandsUrl) : undefined);
  const commands = table ? new CustomCommands(table) : undefined;
  if (threads > 1) return startThreadedServer(config, log, threads, opts.configFile ?? '', commandsUrl);

  const state = new ServerState(config, true);
  state.configFile = opts.configFile ?? '';
  const core = new EngineCore({ databases: config.getNumber('databases'), commands });
  state.core = core;
  state.counters.addRegion(core.region);
  applyEngineConfig(config, core);

  let fatal: Error | undefined;
  const connections = new ConnectionServer(core, state, log, (err) => {
    fatal ??= err;
    log.warning(`Engine failure, stopping: ${err.stack ?? err}`);
    void close();
  });
  // periodic work: active expiry and incremental rehashing, hz times a second; INFO's rates
  const sampler = new OpsSampler(state.counters, () => state.counters.regionList().reduce((a, r) => a + core.regionCounters(r).commands, 0));
  const cron = setInterval(() => {
    if (state.counters.activeExpire) core.cron();
    sampler.tick(); // traffic reaches the counters through ConnectionServer's own 100 ms flush

  }, Math.floor(1000 / Math.min(500, Math.max(1, config.getNumber('hz')))));
  cron.unref();

  let listeners: Listeners;
  try {
    listeners = await listenAll(config, connections.accept);
  } catch (err) {
    clearInterval(cron);
    throw err;
  }
  state.port = listeners.port;
  const pidfile = config.get('pidfile') ?? '';
  if (pidfile) writeFileSync(pidfile, `${process.pid}\n`);

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  let closingAll: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closingAll ??= (async () => {
      clearInterval(cron);
      connections.destroyAll();
      await closeAll(listeners.servers);
      if (pidfile) rmSync(pidfile, { force: true });
      resolveClosed();
    })();
    return closingAll;
  };
  state.shutdown = () => {
    log.warning('User requested shutdown...');
    log.notice('wasmdis is now ready to exit, bye bye...');
    void close();
  };
  log.notice('Server initialized');
  log.notice(`Ready to accept connections tcp on ${listeners.addresses.join(', ')} port ${listeners.port}`);
  const first = listeners.servers[0].address() as net.AddressInfo;
  return {
    port: listeners.port,
    host: first.address === '::' ? '0.0.0.0' : first.address,
    close,
    closed,
    get failure() { return fatal; },
  };
}
