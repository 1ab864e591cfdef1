/**
 * The TCP server: accepts connections, feeds their bytes to an EngineCore, writes the replies,
 * runs the periodic cycle, and shuts down cleanly. One thread for now (issue #3 adds workers
 * over the same shared memory; this module is where they will be started).
 *
 * Owns: sockets, the query-buffer and output-buffer limits, connection bookkeeping. Commands
 * never see a socket: they get a Session.
 */
import net from 'node:net';
import { writeFileSync, rmSync } from 'node:fs';
import { EngineCore } from '../engine/core.js';
import { Session } from '../engine/session.js';
import { ServerState } from './state.js';
import { Config } from './config.js';
import { applyEngineConfig } from './engine-config.js';
import { Logger, type LogLevel } from './log.js';
import type { HostContext } from '../commands/host.js';

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
}

/** A running server. */
export interface ServerHandle {
  /** Port listened on (useful with port 0). */
  port: number;
  host: string;
  /** Stop accepting, close every connection, stop timers. */
  close(): Promise<void>;
  /** Resolves when the server has stopped (close() or SHUTDOWN). */
  closed: Promise<void>;
}

/** Stop reading from a client whose unsent replies exceed this (resume on drain). */
const OUTPUT_HIGH_WATER = 64 * 1024 * 1024;

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; Redis shows a.b.c.d. */
function plainAddress(a: string | undefined): string {
  if (!a) return '?';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
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

/** Start a wasmdis server. */
export async function startServer(opts: ServerOptions = {}): Promise<ServerHandle> {
  const config = buildConfig(opts);
  const log = new Logger(opts.logLevel ?? (config.get('loglevel') as LogLevel), 'M', config.get('logfile') || undefined);
  if (config.get('daemonize') === 'yes') log.warning('daemonize yes is not supported by wasmdis: running in the foreground (use your service manager to background it)');
  const state = new ServerState(config, true);
  state.configFile = opts.configFile ?? '';
  const core = new EngineCore({ databases: config.getNumber('databases') });
  state.cores.push(core);
  applyEngineConfig(config, core);
  const ctx: HostContext = { core, server: state };

  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => serveConnection(socket));

  function serveConnection(socket: net.Socket): void {
    const maxclients = config.getNumber('maxclients');
    if (state.sessions.size >= maxclients) {
      state.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    state.stats.totalConnections++;
    const session = new Session();
    session.authed = (config.get('requirepass') ?? '') === '';
    session.addr = `${plainAddress(socket.remoteAddress)}:${socket.remotePort}`;
    session.laddr = `${plainAddress(socket.localAddress)}:${socket.localPort}`;
    session.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    session.closeTransport = () => socket.destroy();
    const keepalive = config.getNumber('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    state.sessions.set(session.id, session);
    sockets.add(socket);
    let closing = false;

    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      state.stats.totalNetInput += chunk.length;
      session.lastCommandAt = Date.now();
      let result;
      try {
        result = core.feed(session, chunk, ctx);
      } catch (err) {
        log.warning(`Error serving client ${session.addr}: ${(err as Error).stack ?? err}`);
        socket.end('-ERR internal error\r\n');
        closing = true;
        return;
      }
      const { chunks, close } = result;
      if (chunks.length > 0) {
        const out = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        state.stats.totalNetOutput += out.length;
        socket.write(out);
      }
      if (close || session.killed) {
        closing = true;
        socket.end();
        return;
      }
      if (session.pendingBytes > config.getNumber('client-query-buffer-limit')) {
        log.warning(`Closing client that reached max query buffer length: addr=${session.addr} qbuf=${session.pendingBytes}`);
        closing = true;
        socket.destroy();
        return;
      }
      if (socket.writableLength > OUTPUT_HIGH_WATER) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
    socket.on('error', () => { /* reset by peer etc.: the close handler cleans up */ });
    socket.on('close', () => {
      sockets.delete(socket);
      state.sessions.delete(session.id);
    });
  }

  // periodic work: active expiry and incremental rehashing, hz times a second
  const cron = setInterval(() => {
    if (state.activeExpire) core.exports.cron(Date.now());
  }, Math.max(1, Math.floor(1000 / config.getNumber('hz'))));
  cron.unref();

  // listen on every `bind` address, as Redis does; a leading '-' marks an optional address
  // (skipped when unavailable, e.g. '-::*' without IPv6). '*' is all IPv4 interfaces, '::*' all
  // IPv6 ones; with both, one dual-stack socket serves them.
  const port = config.getNumber('port');
  const servers: net.Server[] = [];
  const binds = (config.get('bind') ?? '*').split(/\s+/).filter(Boolean);
  const wantsAny4 = binds.some((b) => b.replace(/^-/, '') === '*');
  let actualPort = port;
  for (const b of binds) {
    const optional = b.startsWith('-');
    const addr = b.replace(/^-/, '');
    if (addr === '::*' && wantsAny4) continue; // the '*' socket below is dual-stack
    const host = addr === '*' ? undefined : addr === '::*' ? '::' : addr;
    const srv = servers.length === 0 ? server : net.createServer({ noDelay: true }, (socket) => serveConnection(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port: actualPort, host, ipv6Only: addr === '::*' }, () => { srv.off('error', reject); resolve(); });
      });
    } catch (err) {
      if (optional) continue;
      for (const s of servers) s.close();
      clearInterval(cron);
      throw err;
    }
    servers.push(srv);
    actualPort = (srv.address() as net.AddressInfo).port; // port 0: every address gets the same port
  }
  if (servers.length === 0) { clearInterval(cron); throw new Error(`Failed listening on port ${port} (tcp): no usable bind address`); }
  state.port = actualPort;
  const pidfile = config.get('pidfile') ?? '';
  if (pidfile) writeFileSync(pidfile, `${process.pid}\n`);

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  let closingAll: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closingAll ??= (async () => {
      clearInterval(cron);
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
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
  log.notice(`Server initialized`);
  const where = servers.map((srv) => { const a = srv.address() as net.AddressInfo; return a.family === 'IPv6' ? `[${a.address}]` : a.address; });
  log.notice(`Ready to accept connections tcp on ${where.join(', ')} port ${actualPort}`);
  const first = servers[0].address() as net.AddressInfo;
  return { port: actualPort, host: first.address === '::' ? '0.0.0.0' : first.address, close, closed };
}
