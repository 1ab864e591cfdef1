/**
 * Conn: one client connection of a framework server, as a handler sees it. Replies written with
 * the write* methods are buffered and sent in one socket write after the handler has seen every
 * command of the read (a pipeline gets one write), or at once with `flush()`.
 *
 * Owns: the connection's output buffer, its protocol (2 or 3) and user context. Must not parse:
 * the server (server.ts) feeds it commands.
 */
import type net from 'node:net';
import { plainAddress } from './listeners.js';
import { ReplyWriter } from '../resp/reply-writer.js';
import { appendAny, appendError, appendTile38 } from './encoders.js';
import type { Command } from './command.js';

/**
 * Sees a connection's commands before the shims and the handler; returns true when it answered
 * the command. The PubSub helper installs one on subscribed connections.
 */
export type CommandInterceptor = (conn: Conn, cmd: Command) => boolean;

let nextId = 1;

/** A connection of a framework server. */
export class Conn {
  /** A number unique to this connection within the process (CLIENT ID, HELLO's `id`). */
  readonly id = nextId++;
  /** The name the client gave itself (CLIENT SETNAME / HELLO SETNAME), '' until then. */
  name = '';
  /** Replies not yet sent; also usable with the free `append*` encoders. */
  readonly out = new ReplyWriter(2);
  /**
   * Runs before the shims and the handler for every command of this connection (see
   * {@link CommandInterceptor}); the PubSub helper sets it while the connection is subscribed.
   */
  interceptor: CommandInterceptor | undefined = undefined;
  /**
   * Output backpressure (set by the server when `highWaterMark` is given): when a flush leaves
   * more than the socket's writable highWaterMark queued, reading from this client pauses until
   * the socket drains.
   */
  backpressure = false;
  private ctx: unknown;
  private closing = false;
  private detached = false;
  private pausedForDrain = false;

  /** @param socket the connection's socket (TCP or TLS) */
  constructor(readonly socket: net.Socket) {}

  /** The client's address, `ip:port` (IPv4 clients of a dual-stack socket without `::ffff:`). */
  get remoteAddress(): string {
    return `${plainAddress(this.socket.remoteAddress)}:${this.socket.remotePort ?? 0}`;
  }

  /** The protocol replies are written in: 2, or 3 after the client switched with HELLO 3. */
  get protocol(): 2 | 3 {
    return this.out.resp;
  }
  set protocol(p: 2 | 3) {
    this.out.resp = p;
  }

  /** Whatever the application attached to this connection (undefined until set). */
  context<T = unknown>(): T {
    return this.ctx as T;
  }

  /** Attach an application value to this connection. */
  setContext(v: unknown): void {
    this.ctx = v;
  }

  /** Simple string `+s`. */
  writeString(s: string): void { this.out.status(s); }
  /** Bulk string from bytes. */
  writeBulk(b: Uint8Array): void { this.out.bulk(b); }
  /** Bulk string from a JavaScript string (UTF-8). */
  writeBulkString(s: string): void { this.out.bulk(s); }
  /** Integer. */
  writeInt(n: number | bigint): void { this.out.int(n); }
  /** Array header: write `n` elements next. */
  writeArray(n: number): void { this.out.arrayLen(n); }
  /** Null (`$-1` in RESP2, `_` in RESP3). */
  writeNull(): void { this.out.null(); }
  /** Error reply; `"ERR "` is prefixed when the message has no upper-case code. */
  writeError(msg: string): void { appendError(this.out, msg); }
  /** Bytes as they are (already RESP). */
  writeRaw(b: Uint8Array | string): void { this.out.raw(b); }
  /** Any JavaScript value by its type (see `appendAny`). */
  writeAny(v: unknown): void { appendAny(this.out, v); }
  /** Map header of `n` pairs (RESP3; an array of 2n in RESP2). */
  writeMap(n: number): void { this.out.mapLen(n); }
  /** Set header (RESP3; an array in RESP2). */
  writeSet(n: number): void { this.out.setLen(n); }
  /** Double (RESP3; a bulk string in RESP2). */
  writeDouble(d: number): void { this.out.double(d); }
  /** Boolean (RESP3; integer 1/0 in RESP2). */
  writeBoolean(b: boolean): void { this.out.bool(b); }
  /** Push header (RESP3 out-of-band data; an array in RESP2). */
  writePush(n: number): void { this.out.pushLen(n); }
  /** A Tile38 native message `$<length> <data>\r\n` (the answer a Tile38 native client reads; see `appendTile38`). */
  writeTile38(data: Uint8Array | string): void { appendTile38(this.out, data); }

  /** Send what has been written so far now (it is otherwise sent after the batch). */
  flush(): void {
    if (this.out.length === 0 || this.detached || this.socket.destroyed) { this.out.reset(); return; }
    const below = this.socket.write(this.out.toBuffer());
    this.out.reset();
    if (!below && this.backpressure && !this.pausedForDrain) {
      this.pausedForDrain = true;
      this.socket.pause();
      this.socket.once('drain', () => {
        this.pausedForDrain = false;
        this.socket.resume(); // also after detach(): the new owner gets the socket as it was before the pause
      });
    }
  }

  /** Close the connection once what has been written is sent. */
  close(): void {
    this.closing = true;
  }

  /** Has close() been called? */
  get closed(): boolean {
    return this.closing;
  }

  /**
   * Take the socket over: the framework stops reading and writing it (replies written so far are
   * sent first) and never closes it. Returns the socket; bytes already received but not yet
   * parsed are not replayed.
   */
  detach(): net.Socket {
    this.flush();
    this.detached = true;
    return this.socket;
  }

  /** Has the socket been handed over with detach()? */
  get isDetached(): boolean {
    return this.detached;
  }
}
