/**
 * listen(): a RESP server whose commands are answered by the application — the redcon style
 * (`handler(conn, cmd)`, optional `accept` and `closed`) — and RedHub, the same server driven by
 * `onOpen` / `onClose` / `handler(cmd, out)` returning an {@link Action}.
 *
 * Owns: the listening socket, options, the ticker and graceful close; the per-connection read loop
 * is session.ts, serving on several processes multicore.ts. Must not import the wasmdis server
 * (src/server): the server is built on top, not the other way round.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Command } from './command.js';
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Conn } from './conn.js';
import type { ShimOptions } from './shims.js';
import { connectionServer, closeConnections, startTicker } from './session.js';
import { createListener, listenOnce } from './listeners.js';
import { isFrameworkWorker, listenPrimary, listenWorker, type BalancePolicy, type WorkerInfo } from './multicore.js';

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
  /**
   * Called every `tickMs` ms (default 100 when onTick is given); return a number to change the
   * delay. With `workers`, it runs in every worker (where the connections and their state are).
   */
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
  /**
   * Serve on this many worker processes (the "threads" of issue #6; 0 or absent: in this process,
   * the fast path). The script runs again in every worker, as with node:cluster: its listen()
   * call there serves the connections the primary hands it, so the handler, `accept`, `closed`
   * and `onTick` run in the workers and any state they keep is per worker. The primary accepts
   * each connection and gives it to a worker by `balance`; `close()` on the primary drains and
   * stops the workers. Every multicore listen() of a script must use the same `workers` count,
   * and the script must make its multicore listen() calls in the same order in every process.
   * See multicore.ts for the design and its trade-offs.
   */
  workers?: number;
  /**
   * Which worker gets a new connection (with `workers`): `'round-robin'` (default: each in turn),
   * `'least-connections'` (the one with the fewest open connections, as the primary counts them;
   * ties in turn), `'source-hash'` (a hash of the client's IP address: one client address always
   * lands on the same worker while it lives; the next live worker when it does not).
   */
  balance?: BalancePolicy;
  /**
   * Per-connection cap, in bytes, on request bytes received but not yet forming a complete
   * command (like Redis's client-query-buffer-limit, default 1 GiB there; here absent or 0: no
   * cap). Past it the client gets `-ERR Protocol error: request exceeds the read buffer cap` and
   * is closed. (Redis closes such a client without a reply.)
   */
  readBufferCap?: number;
  /**
   * Socket buffer sizes, as far as Node.js has them. Node 20 offers no SO_SNDBUF / SO_RCVBUF for
   * TCP sockets (the kernel's defaults and autotuning apply); what it has is the sockets' stream
   * buffers, which this sets (`net.createServer({ highWaterMark })`: both the readable and the
   * writable highWaterMark of accepted sockets). With it set, output backpressure is on: when a
   * batch's replies leave more than `highWaterMark` bytes queued on a socket, reading from that
   * client pauses until the socket drains (a client that sends without ever reading then stalls
   * instead of growing our memory; Redis would buffer without limit for normal clients).
   */
  highWaterMark?: number;
  /**
   * SO_REUSEPORT on the listening socket, so several processes can listen on one port (the
   * kernel spreads connections). Needs Node.js ≥ 22.12 (or ≥ 23.1), whose `listen()` has the
   * option; on older Node listen() rejects with an error saying so.
   */
  reusePort?: boolean;
  /**
   * Accept Tile38's native request form as redcon and RedHub detect it (default true): a request
   * whose first byte is `$` is `$<length> <payload>\r\n`, split on spaces (a `{` word takes the
   * rest as JSON); its Command has `kind === 'tile38'`, and the handler should answer with
   * `conn.writeTile38(json)` (Tile38 answers native clients with `$<length> <json>\r\n`).
   * A malformed one gets `-ERR Protocol error: invalid message` and the connection closes.
   * `false`: such a line is an inline request, as Redis reads it.
   */
  tile38?: boolean;
}

/** A running framework server. */
export interface FrameworkServer {
  /** The port listened on (useful with port 0). */
  readonly port: number;
  /** Open connections (of this process: empty in the primary of a multicore server). */
  readonly connections: ReadonlySet<Conn>;
  /**
   * The workers of a multicore server as the primary sees them (pid, open connections); empty
   * in a worker; absent for a single-process server.
   */
  readonly workers?: readonly WorkerInfo[];
  /**
   * Stop. Graceful (default): stop accepting, let each connection finish the batch it is in,
   * then close them; `timeoutMs` (default 5000) later the rest is destroyed. On the primary of a
   * multicore server: the same in every worker, then the workers exit.
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

/** Does this Node.js have `reusePort` in `server.listen()` (22.12+, 23.1+)? */
export function reusePortSupported(version: string = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
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
 *
 * With `{ workers: N }` the same script serves on N processes (see {@link ListenOptions.workers}).
 */
export async function listen(
  addr: Address, handler: Handler, accept?: AcceptHandler, closed?: ClosedHandler, options: ListenOptions = {},
): Promise<FrameworkServer> {
  if (options.reusePort && !reusePortSupported()) {
    throw new Error(`reusePort needs Node.js 22.12 or later (this is Node.js ${process.versions.node}, whose listen() has no SO_REUSEPORT)`);
  }
  const { host, port } = parseAddress(addr);
  if (options.workers !== undefined && options.workers > 0) {
    const mc = { ...options, workers: options.workers };
    return isFrameworkWorker() ? listenWorker({ handler, accept, closed }, mc) : listenPrimary(host, port, mc);
  }
  const conns = new Set<Conn>();
  const serve = connectionServer({ handler, accept, closed }, options, conns);
  const server = createListener(serve, { tls: options.tls, highWaterMark: options.highWaterMark, noDelay: options.noDelay });
  await listenOnce(server, { port, host, reusePort: options.reusePort });
  const stopTicker = startTicker(options.onTick, options.tickMs);
  const bound = server.address() as net.AddressInfo;
  return {
    port: bound.port,
    connections: conns,
    async close({ graceful = true, timeoutMs = 5000 } = {}) {
      stopTicker();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeConnections(conns, stopped, graceful, timeoutMs);
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
