/**
 * The TCP server: accepts connections, feeds their bytes to an EngineCore, writes the replies,
 * runs the periodic cycle, and shuts down cleanly. One thread for now (issue #3 adds workers
 * over the same shared memory; this module is where they will be started).
 *
 * Owns: sockets, the query-buffer and output-buffer limits, connection bookkeeping. Commands
 * never see a socket: they get a Session.
 */
import net from 'node:net';
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
  const log = new Logger(opts.logLevel ?? (config.get('loglevel') as LogLevel));
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
    session.addr = `${socket.remoteAddress}:${socket.remotePort}`;
    session.laddr = `${socket.localAddress}:${socket.localPort}`;
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

  const port = config.getNumber('port');
  const bind = (config.get('bind') ?? '*').split(/\s+/)[0];
  const host = bind === '*' || bind === '' ? undefined : bind.replace(/^-/, '');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as net.AddressInfo;
  state.port = address.port;

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  let closingAll: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closingAll ??= new Promise<void>((resolve) => {
      clearInterval(cron);
      server.close(() => { resolveClosed(); resolve(); });
      for (const s of sockets) s.destroy();
    });
    return closingAll;
  };
  state.shutdown = () => {
    log.warning('User requested shutdown...');
    log.notice('wasmdis is now ready to exit, bye bye...');
    void close();
  };
  log.notice(`Server initialized`);
  log.notice(`Ready to accept connections tcp on ${host ?? '*'}:${address.port}`);
  return { port: address.port, host: host ?? '0.0.0.0', close, closed };
}
