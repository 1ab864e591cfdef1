/**
 * listen(): a RESP server whose commands are answered by the application — the redcon style
 * (`handler(conn, cmd)`, optional `accept` and `closed`) — and RedHub, the same server driven by
 * `onOpen` / `onClose` / `handler(cmd, out)` returning an {@link Action}.
 *
 * Owns: sockets, parsing (RESP and inline/telnet requests, Redis's protocol errors), one socket
 * write per batch of commands, handler errors, the ticker and graceful close. Must not import the
 * wasmdis server (src/server): the server is built on top, not the other way round.
 */
import net from 'node:net';
import tls from 'node:tls';
import { RespRequestParser } from '../resp/request-parser.js';
import { ProtocolError } from '../resp/errors.js';
import { ReplyWriter } from '../resp/reply-writer.js';
import { Command } from './command.js';
import { Conn } from './conn.js';
import { shimsFor, type ShimOptions } from './shims.js';

/** Where to listen: `"127.0.0.1:6380"`, `":6380"`, `"tcp://host:port"`, or a port number. */
export type Address = string | number;

/** Options of a framework server. */
export interface ListenOptions {
  /** TCP_NODELAY on accepted sockets (default true). */
  noDelay?: boolean;
  /** TCP keepalive: initial delay in ms (0 or absent: off). */
  keepAlive?: number;
  /** TLS instead of plain TCP: PEM key and certificate (as for `tls.createServer`). */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer };
  /** Called every `tickMs` ms (default 100 when onTick is given); return a number to change the delay. */
  onTick?: () => number | void;
  tickMs?: number;
  /** Largest bulk argument accepted (default 512 MiB, as Redis's proto-max-bulk-len). */
  maxBulkLen?: number;
  /**
   * Handshake shims (default: all on): PING, ECHO, HELLO, CLIENT SETNAME/GETNAME/SETINFO/ID,
   * COMMAND / COMMAND DOCS, INFO, SELECT 0 and QUIT are answered for the handler, so ioredis,
   * node-redis and redis-cli connect to a server that only knows its own commands. `false` turns
   * them off; `{ info: false }` hands one of them to the handler.
   */
  shims?: ShimOptions;
}

/** A running framework server. */
export interface FrameworkServer {
  /** The port listened on (useful with port 0). */
  readonly port: number;
  /** Open connections. */
  readonly connections: ReadonlySet<Conn>;
  /**
   * Stop. Graceful (default): stop accepting, let each connection finish the batch it is in,
   * then close them; `timeoutMs` (default 5000) later the rest is destroyed.
   */
  close(opts?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

/** Redcon-style handler: answer `cmd` by writing to `conn`. */
export type Handler = (conn: Conn, cmd: Command) => void;
/** Called for each new connection; return false to refuse it (it is closed at once). */
export type AcceptHandler = (conn: Conn) => boolean;
/** Called when a connection has closed; `err` is set when it closed because of an error. */
export type ClosedHandler = (conn: Conn, err?: Error) => void;

function parseAddress(addr: Address): { host: string | undefined; port: number } {
  if (typeof addr === 'number') return { host: undefined, port: addr };
  const a = addr.replace(/^tcp:\/\//, '');
  const i = a.lastIndexOf(':');
  if (i < 0) return { host: undefined, port: Number(a) };
  const host = a.slice(0, i).replace(/^\[|\]$/g, '');
  return { host: host === '' ? undefined : host, port: Number(a.slice(i + 1)) };
}

/**
 * Serve RESP on `addr`; every command of every connection goes to `handler`.
 *
 * ```ts
 * const srv = await listen(':6380', (conn, cmd) => {
 *   switch (cmd.name) {
 *     case 'ping': conn.writeString('PONG'); break;
 *     case 'quit': conn.writeString('OK'); conn.close(); break;
 *     default: conn.writeError(`ERR unknown command '${cmd.args[0]}'`);
 *   }
 * });
 * ```
 */
export async function listen(
  addr: Address, handler: Handler, accept?: AcceptHandler, closed?: ClosedHandler, options: ListenOptions = {},
): Promise<FrameworkServer> {
  const conns = new Set<Conn>();
  const shim = shimsFor(options.shims);
  const serve = (socket: net.Socket): void => {
    if (options.noDelay !== false) socket.setNoDelay(true);
    if (options.keepAlive) socket.setKeepAlive(true, options.keepAlive);
    const conn = new Conn(socket);
    if (accept && !accept(conn)) { socket.destroy(); return; }
    conns.add(conn);
    const parser = new RespRequestParser({ maxBulkLen: options.maxBulkLen });
    let failure: Error | undefined;
    const run = (args: Buffer[]): boolean => {
      try {
        const cmd = new Command(args);
        if (!shim?.(conn, cmd)) handler(conn, cmd);
      } catch (err) {
        // a failing handler answers this command with an error; everyone else is unaffected
        conn.writeError(`ERR ${(err as Error)?.message ?? String(err)}`);
      }
      return !conn.closed && !conn.isDetached;
    };
    socket.on('data', (chunk: Buffer) => {
      if (conn.isDetached || conn.closed) return; // closing: what follows QUIT is not run
      let commands: Buffer[][];
      let protocolError: ProtocolError | undefined;
      try {
        commands = parser.execute(chunk);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        protocolError = err;
        commands = err.commands;
      }
      for (const args of commands) if (!run(args)) break;
      if (conn.isDetached) { socket.removeAllListeners('data'); return; }
      if (protocolError && !conn.closed) {
        // as Redis: the commands before the bad bytes ran; the error is sent, then the connection closes
        conn.writeError(protocolError.message);
        conn.close();
      }
      conn.flush();
      if (conn.closed) socket.end();
    });
    socket.on('error', (err) => { failure = err; });
    socket.on('close', () => {
      conns.delete(conn);
      if (!conn.isDetached) closed?.(conn, failure);
    });
  };
  const server = options.tls ? tls.createServer({ ...options.tls }, serve) : net.createServer(serve);
  const { host, port } = parseAddress(addr);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  let ticker: NodeJS.Timeout | undefined;
  if (options.onTick) {
    const tick = (delay: number): void => {
      ticker = setTimeout(() => {
        const next = options.onTick!();
        tick(typeof next === 'number' && next >= 0 ? next : delay);
      }, delay);
      ticker.unref();
    };
    tick(options.tickMs ?? 100);
  }
  const bound = server.address() as net.AddressInfo;
  return {
    port: bound.port,
    connections: conns,
    async close({ graceful = true, timeoutMs = 5000 } = {}) {
      if (ticker) clearTimeout(ticker);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of conns) {
        if (graceful) { c.flush(); c.socket.end(); } else c.socket.destroy();
      }
      const timer = setTimeout(() => { for (const c of conns) c.socket.destroy(); }, timeoutMs);
      timer.unref();
      await stopped;
      clearTimeout(timer);
    },
  };
}

/** What a RedHub handler asks for after answering a command. */
export enum Action {
  /** Carry on. */
  None = 0,
  /** Close this connection once the reply is sent. */
  Close = 1,
  /** Stop the whole server (gracefully) once the reply is sent. */
  Shutdown = 2,
}

/** RedHub-style event handlers. */
export interface RedHubHandlers {
  /** A connection opened; the returned bytes (if any) are sent to it first. */
  onOpen?: (conn: Conn) => Uint8Array | string | void;
  /** A connection closed (`err` when it closed because of an error). */
  onClose?: (conn: Conn, err?: Error) => void;
  /** Answer one command by writing to `out` (the connection's output, see the `append*` encoders). */
  handler: (cmd: Command, out: ReplyWriter, conn: Conn) => Action | void;
}

/**
 * RedHub: the same server, driven by `onOpen` / `onClose` / `handler(cmd, out) → Action`.
 *
 * ```ts
 * const hub = new RedHub({ handler: (cmd, out) => { appendOK(out); return Action.None; } });
 * const srv = await hub.listen('127.0.0.1:6380');
 * ```
 */
export class RedHub {
  private server: FrameworkServer | undefined;

  constructor(private readonly handlers: RedHubHandlers) {}

  /** Start serving on `addr`. */
  async listen(addr: Address, options: ListenOptions = {}): Promise<FrameworkServer> {
    const h = this.handlers;
    this.server = await listen(
      addr,
      (conn, cmd) => {
        const action = h.handler(cmd, conn.out, conn);
        if (action === Action.Close) conn.close();
        else if (action === Action.Shutdown) {
          conn.close();
          setImmediate(() => void this.server?.close());
        }
      },
      (conn) => {
        const greeting = h.onOpen?.(conn);
        if (greeting !== undefined && greeting !== null && (greeting as Uint8Array | string).length > 0) {
          conn.writeRaw(greeting as Uint8Array | string);
          conn.flush();
        }
        return true;
      },
      h.onClose,
      options,
    );
    return this.server;
  }
}
