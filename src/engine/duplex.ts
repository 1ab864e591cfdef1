/**
 * In-process transport: a Node Duplex stream that is one client connection of an in-process
 * engine, with no socket and no port. Bytes written to it are RESP requests; bytes read from it
 * are replies, Pub/Sub messages and blocked-command replies as they arrive. Ending or destroying
 * it disconnects the client exactly as closing a TCP connection does (see engine/client-link.ts,
 * which the TCP server uses too).
 *
 * It also looks enough like a connected net.Socket (connecting, setNoDelay, setKeepAlive,
 * setTimeout, ref/unref, the 'connect' and 'ready' events) for Redis clients to use it in place
 * of one; {@link ioredisConnector} and {@link nodeRedisSocketOptions} plug it into ioredis and
 * node-redis.
 *
 * Owns: the stream and its idle timer; the connection's session belongs to its ClientLink.
 */
import { Duplex } from 'node:stream';
import net from 'node:net';
import type { EngineCore } from './core.js';
import type { ServerState } from '../server/state.js';
import { ClientLink, refuseConnection } from './client-link.js';

/** One client connection of an in-process engine, as a Duplex stream (see the module comment). */
export class EngineSocket extends Duplex {
  /** Always false: an in-process connection is open as soon as it exists (like a connected net.Socket). */
  readonly connecting = false;
  /** No network peer (net.Socket's fields, read by some clients for logging). */
  readonly remoteAddress: string | undefined = undefined;
  readonly remotePort: number | undefined = undefined;
  readonly localAddress: string | undefined = undefined;
  readonly localPort: number | undefined = undefined;
  private readonly link: ClientLink | undefined;
  /** The readable side has been ended (no more pushes). */
  private eof = false;
  /** Input held back while the client does not read its replies (see ClientLink throttle). */
  private throttled = false;
  private held: (() => void) | undefined;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  /** Open a connection to `core` / `state` (use Engine.connect rather than this). */
  constructor(core: EngineCore, private readonly state: ServerState) {
    super({ allowHalfOpen: false });
    const refusal = refuseConnection(state);
    if (refusal) {
      // as Redis does past maxclients: the error line, then the connection closes
      this.push(Buffer.from(refusal, 'latin1'));
      this.endReadable();
    } else {
      const self = this;
      this.link = new ClientLink(core, state, {
        write: (bytes) => { if (!self.eof && !self.destroyed) { self.push(bytes); self.touch(); } },
        end: () => self.endReadable(),
        destroy: () => { self.destroy(); },
        get destroyed() { return self.destroyed; },
        get pendingOutput() { return self.readableLength; },
        throttle: () => { self.throttled = true; },
      }, {
        onFatal: (err) => { self.destroy(err); },
        countOutput: (n) => state.counters.traffic(0, n),
      });
    }
    process.nextTick(() => {
      if (this.destroyed) return;
      this.emit('connect');
      this.emit('ready');
    });
  }

  /** The CLIENT ID of this connection's session (undefined if it was refused). */
  get clientId(): number | undefined {
    return this.link?.session.id;
  }

  private endReadable(): void {
    if (this.eof) return;
    this.eof = true;
    this.push(null);
  }

  /**
   * Requests are served on a microtask, never inside the client's write() call: clients queue a
   * command's reply handler after writing it, as a socket's reply cannot come sooner.
   */
  private deliver(chunks: Buffer[], done: (err?: Error | null) => void): void {
    queueMicrotask(() => {
      if (this.link && !this.destroyed) {
        const chunk = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        this.state.counters.traffic(chunk.length, 0);
        this.touch();
        this.link.input(chunk);
      }
      if (this.throttled && !this.destroyed) this.held = () => done();
      else done();
    });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.deliver([chunk], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    this.deliver(chunks.map((c) => c.chunk), done);
  }

  override _read(): void {
    // the client took its replies: accept input again
    this.throttled = false;
    const held = this.held;
    this.held = undefined;
    held?.();
  }

  /** The client ended its side (like a FIN): the session goes away and the stream ends. */
  override _final(done: (err?: Error | null) => void): void {
    this.link?.closed();
    this.endReadable();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.link?.closed();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.idleMs = 0;
    done(err);
  }

  /** Restart the idle timer (setTimeout) after activity. */
  private touch(): void {
    if (this.idleMs === 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
    this.idleTimer.unref();
  }

  /** As net.Socket#setTimeout: emit 'timeout' after `ms` without traffic (0 turns it off). */
  setTimeout(ms: number, listener?: () => void): this {
    if (listener) this.once('timeout', listener);
    this.idleMs = ms > 0 ? ms : 0;
    if (this.idleMs === 0 && this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; }
    this.touch();
    return this;
  }

  /** No-op (net.Socket compatibility): there is no Nagle delay in-process. */
  setNoDelay(_noDelay?: boolean): this { return this; }
  /** No-op (net.Socket compatibility): there is no peer to probe. */
  setKeepAlive(_enable?: boolean, _delay?: number): this { return this; }
  /** No-op (net.Socket compatibility): the stream holds no handle that keeps the process alive. */
  ref(): this { return this; }
  /** No-op (net.Socket compatibility). */
  unref(): this { return this; }
}

/** Whatever can open in-process connections (an Engine). */
export interface ConnectionSource {
  /** Open a new client connection. */
  connect(): EngineSocket;
}

/**
 * The shape of an ioredis connector (ioredis's `Connector` option): ioredis constructs it with
 * its options and calls `connect` for every (re)connection.
 */
export interface IoredisConnector {
  /** Whether a connection is being opened (never for long: opening is synchronous). */
  connecting: boolean;
  /** The current connection. */
  stream: EngineSocket | undefined;
  /** Whether a server answers as expected (always true: there is one engine). */
  check(info: unknown): boolean;
  /** Open a new in-process connection. */
  connect(emitter: unknown): Promise<EngineSocket>;
  /** End the current connection (destroyed if it has not closed within 2 s). */
  disconnect(): void;
}

/**
 * A connector class for ioredis's `Connector` option (its extension point for custom
 * transports): every connection ioredis opens, including reconnections, is a new in-process
 * client of `source`.
 *
 * ```ts
 * const redis = new Redis({ Connector: ioredisConnector(engine) });
 * ```
 */
export function ioredisConnector(source: ConnectionSource): new (options?: unknown) => IoredisConnector {
  return class InProcessConnector implements IoredisConnector {
    connecting = false;
    stream: EngineSocket | undefined;
    check(): boolean { return true; }
    connect(): Promise<EngineSocket> {
      this.connecting = true;
      try {
        this.stream = source.connect();
      } catch (err) {
        return Promise.reject(err);
      } finally {
        this.connecting = false;
      }
      return Promise.resolve(this.stream);
    }
    disconnect(): void {
      this.connecting = false;
      // end our side; the stream closes once its last replies are read
      const stream = this.stream;
      if (!stream || stream.destroyed) return;
      stream.end();
      const timer = setTimeout(() => stream.destroy(), 2000);
      timer.unref();
      stream.once('close', () => clearTimeout(timer));
    }
  };
}

/** Marks socket options whose connection is in-process (value: the source to connect to). */
const IN_PROCESS = Symbol.for('wasmdis.inProcess');
let netHooked = false;

/**
 * node-redis has no option for a custom transport: it hands its `socket` options to
 * net.createConnection. This wraps net.createConnection once so that options carrying the
 * IN_PROCESS mark get an in-process connection; every other call goes to Node unchanged.
 */
function hookNetCreateConnection(): void {
  if (netHooked) return;
  netHooked = true;
  const original = net.createConnection;
  const hooked = function (this: unknown, ...args: unknown[]): unknown {
    const first = args[0] as Record<symbol, unknown> | null | undefined;
    if (first !== null && typeof first === 'object' && IN_PROCESS in first) {
      return (first[IN_PROCESS] as ConnectionSource).connect();
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  (net as { createConnection: unknown }).createConnection = hooked;
}

/**
 * `socket` options for node-redis's createClient that connect to `source` in-process:
 * `createClient({ socket: nodeRedisSocketOptions(engine), RESP: 3 })`. Extra socket options
 * (reconnectStrategy, socketTimeout, connectTimeout) may be spread in beside them.
 *
 * node-redis offers no transport hook, so the first call wraps net.createConnection (once, for
 * the process) to recognise these options; connections to anything else are untouched.
 */
export function nodeRedisSocketOptions(source: ConnectionSource): Record<string | symbol, unknown> {
  hookNetCreateConnection();
  // no host: node-redis's RESP3 handshake would resolve it in DNS (maintenance notifications)
  return { [IN_PROCESS]: source };
}
