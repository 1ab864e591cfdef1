#!/usr/bin/env node
/**
 * The `wasmdis` command, used like redis-server:
 *
 *   wasmdis [/path/to/redis.conf] [--port 7000] [--bind 127.0.0.1] [--requirepass pw] [--threads N] [--<option> value ...]
 *
 * `--threads N` (default: the number of CPU cores) worker threads serve connections over one
 * shared engine memory; `--threads 1` serves them on the main thread. Prints a Redis-style log,
 * serves until SIGINT/SIGTERM or SHUTDOWN, then exits 0 (1 if the server failed).
 */
import os from 'node:os';
import { startServer, buildConfig } from './server/server.js';
import { Logger, type LogLevel } from './server/log.js';

const VERSION = '0.1.0';

function usage(): void {
  process.stdout.write(`Usage: wasmdis [/path/to/redis.conf] [options]
       wasmdis -v or --version
       wasmdis -h or --help

Examples:
       wasmdis (run the server with default config)
       wasmdis /etc/redis/6379.conf
       wasmdis --port 7777
       wasmdis /etc/myredis.conf --loglevel verbose
       wasmdis --requirepass secret --databases 32
       wasmdis --threads 1 (serve on one thread; the default is one per CPU core)
`);
}

/** Split argv into a config file and `--name value...` directives, as redis-server does. */
export function parseArgs(argv: string[]): { configFile?: string; config: Record<string, string[]> } {
  const config: Record<string, string[]> = {};
  let i = 0;
  let configFile: string | undefined;
  if (argv[0] && !argv[0].startsWith('--')) configFile = argv[i++];
  let current: string | undefined;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--') && a.length > 2) {
      current = a.slice(2).toLowerCase();
      config[current] = [];
    } else if (current !== undefined) {
      config[current].push(a);
    } else {
      throw new Error(`Invalid argument '${a}'`);
    }
  }
  return { configFile, config };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(`wasmdis v=${VERSION} redis-compat=7.0.15 node=${process.version}\n`);
    return;
  }
  if (argv[0] === '-h' || argv[0] === '--help') { usage(); return; }
  let parsed;
  let config;
  let threads = os.availableParallelism();
  try {
    parsed = parseArgs(argv);
    if (parsed.config.threads) {
      const n = Number(parsed.config.threads[0]);
      if (parsed.config.threads.length !== 1 || !Number.isInteger(n) || n < 1 || n > 256) {
        throw new Error(`--threads must be a whole number between 1 and 256, got '${parsed.config.threads.join(' ')}'`);
      }
      threads = n;
      delete parsed.config.threads;
    }
    // validate everything before logging anything, like redis-server
    config = buildConfig({ configFile: parsed.configFile, config: parsed.config });
  } catch (err) {
    process.stderr.write(`\n*** FATAL CONFIG ERROR (wasmdis) ***\n${(err as Error).message}\n`);
    process.exit(1);
  }
  const log = new Logger(config.get('loglevel') as LogLevel, 'C', config.get('logfile') || undefined);
  log.warning('oO0OoO0OoO0Oo wasmdis is starting oO0OoO0OoO0Oo');
  log.warning(`wasmdis version=${VERSION}, redis-compat=7.0.15, bits=64, pid=${process.pid}, just started`);
  if (!parsed.configFile) log.warning('Warning: no config file specified, using the default config. In order to specify a config file use wasmdis /path/to/redis.conf');
  else log.warning('Configuration loaded');
  let handle;
  try {
    handle = await startServer({ configFile: parsed.configFile, config: parsed.config, threads });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    log.warning(`Failed listening on port (tcp), aborting: ${e.code ?? ''} ${e.message}`);
    process.exit(1);
  }
  // an exception escaping the main thread's event loop: say why, then stop
  process.on('uncaughtException', (err) => {
    log.warning(`Fatal error, stopping: ${err.stack ?? err}`);
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.warning(`Received ${signal} scheduling shutdown...`);
    log.warning('User requested shutdown...');
    void handle.close().then(() => {
      log.warning('wasmdis is now ready to exit, bye bye...');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await handle.closed;
  process.exit(handle.failure ? 1 : 0);
}

void main();
