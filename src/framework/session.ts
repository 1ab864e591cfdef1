/**
 * Serving one connection of a framework server: parse what the client sends, run each command
 * through the interceptor (PubSub), the handshake shims and the handler, send the batch's replies
 * in one write, apply the read-buffer cap and Redis's protocol-error behaviour.
 *
 * Owns: the per-socket read loop, shared by the in-process server (server.ts) and the workers of
 * a multicore server (multicore.ts). Must not listen or accept: it is given sockets.
 */
import type net from 'node:net';
import { RespRequestParser, scanWholeCommand, type ParsedRequest } from '../resp/request-parser.js';
import { ProtocolError } from '../resp/errors.js';
import { Command } from './command.js';
import { Conn } from './conn.js';
import { shimsFor, type ShimOptions } from './shims.js';

/** The error a client gets before it is closed for exceeding `readBufferCap`. */
export const READ_BUFFER_CAP_ERROR = 'ERR Protocol error: request exceeds the read buffer cap';

/** What the read loop needs from the listen() call that owns it. */
export interface SessionOptions {
  /** TCP_NODELAY on the socket (default true). */
  noDelay?: boolean;
  /** TCP keepalive initial delay in ms (0 or absent: off). */
  keepAlive?: number;
  /** Largest bulk argument accepted (the parser's proto-max-bulk-len). */
  maxBulkLen?: number;
  /** Largest incomplete request a client may have buffered before it is refused and closed. */
  readBufferCap?: number;
  /** Set: pause reading a client while its unsent replies exceed the socket's buffer size. */
  highWaterMark?: number;
  /** Read Tile38's native `$` requests (default true). */
  tile38?: boolean;
  /** Which handshake shims answer for the handler (see ListenOptions.shims). */
  shims?: ShimOptions;
}

/** Application callbacks as listen() receives them. */
export interface SessionCallbacks {
  handler: (conn: Conn, cmd: Command) => void;
  accept?: (conn: Conn) => boolean;
  closed?: (conn: Conn, err?: Error) => void;
}

/**
 * Returns the function that serves one accepted socket; `conns` tracks the open connections and
 * `onGone` (if given) hears about every socket that closes, accepted or refused.
 */
export function connectionServer(
  cb: SessionCallbacks, options: SessionOptions, conns: Set<Conn>, onGone?: () => void,
): (socket: net.Socket) => void {
  const shim = shimsFor(options.shims);
  const { handler, accept, closed } = cb;
  const cap = options.readBufferCap !== undefined && options.readBufferCap > 0 ? options.readBufferCap : 0;
  const tile38 = options.tile38 !== false;
  const backpressure = options.highWaterMark !== undefined;
  return (socket: net.Socket): void => {
    if (options.noDelay !== false) socket.setNoDelay(true);
    if (options.keepAlive) socket.setKeepAlive(true, options.keepAlive);
    const conn = new Conn(socket);
    conn.backpressure = backpressure;
    if (accept && !accept(conn)) {
      socket.destroy();
      if (onGone) onGone();
      return;
    }
    conns.add(conn);
    const parser = new RespRequestParser({ maxBulkLen: options.maxBulkLen, tile38 });
    let failure: Error | undefined;
    const [bulkMax, countMax] = parser.limits;
    const run = (cmd: Command): boolean => {
      try {
        if (conn.interceptor === undefined || !conn.interceptor(conn, cmd)) {
          if (!shim?.(conn, cmd)) handler(conn, cmd);
        }
      } catch (err) {
        // a failing handler answers this command with an error; everyone else is unaffected
        conn.writeError(`ERR ${(err as Error)?.message ?? String(err)}`);
      }
      return !conn.closed && !conn.isDetached;
    };
    socket.on('data', (chunk: Buffer) => {
      if (conn.isDetached || conn.closed) return; // closing: what follows QUIT is not run
      // Fast path: whole multibulk commands at the front of the read become commands that point
      // into it (arguments made only when the handler asks); the parser takes the rest.
      let pos = 0;
      let going = true;
      if (parser.idle) {
        const end = chunk.length;
        const offs: number[] = [];
        while (going && pos < end && chunk[pos] === 0x2a /* '*' */) {
          const base = offs.length;
          const next = scanWholeCommand(chunk, pos, end, bulkMax, countMax, offs);
          if (next < 0) { offs.length = base; break; }
          going = run(new Command(undefined, chunk, offs, base, (offs.length - base) >> 1, pos, next));
          pos = next;
        }
      }
      let commands: Buffer[][] = [];
      let protocolError: ProtocolError | undefined;
      if (going && pos < chunk.length) {
        try {
          commands = parser.execute(pos === 0 ? chunk : chunk.subarray(pos));
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
          protocolError = err;
          commands = err.commands;
        }
      }
      for (const args of commands) if (!run(new Command(args as ParsedRequest))) break;
      if (conn.isDetached) { socket.removeAllListeners('data'); return; }
      if (protocolError && !conn.closed) {
        // as Redis: the commands before the bad bytes ran; the error is sent, then the connection closes
        // the message is a byte string (Redis echoes the offending byte as is): latin1, not UTF-8
        conn.writeRaw(Buffer.from(`-${protocolError.message}\r\n`, 'latin1'));
        conn.close();
      } else if (cap !== 0 && !conn.closed && parser.buffered > cap) {
        // like Redis's client-query-buffer-limit (Redis closes silently; we say why first)
        conn.writeError(READ_BUFFER_CAP_ERROR);
        conn.close();
        parser.reset();
      }
      conn.flush();
      if (conn.closed) socket.end();
    });
    socket.on('error', (err) => { failure = err; });
    socket.on('close', () => {
      conns.delete(conn);
      if (!conn.isDetached) closed?.(conn, failure);
      if (onGone) onGone();
    });
  };
}

/**
 * Graceful or hard close of a set of connections (see FrameworkServer.close); resolves when
 * `stopped` does, destroying what is left after `timeoutMs`.
 */
export async function closeConnections(
  conns: ReadonlySet<Conn>, stopped: Promise<void>, graceful: boolean, timeoutMs: number,
): Promise<void> {
  for (const c of conns) {
    if (graceful) { c.flush(); c.socket.end(); } else c.socket.destroy();
  }
  const timer = setTimeout(() => { for (const c of conns) c.socket.destroy(); }, timeoutMs);
  timer.unref();
  await stopped;
  clearTimeout(timer);
}

/**
 * The ticker of a server's `onTick` option: calls it every `tickMs` ms (default 100); a number it
 * returns becomes the next delay. Returns the function that stops it (the timer never keeps the
 * process alive on its own).
 */
export function startTicker(onTick: (() => number | void) | undefined, tickMs = 100): () => void {
  if (!onTick) return () => {};
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (delay: number): void => {
    timer = setTimeout(() => {
      const next = onTick();
      if (!stopped) tick(typeof next === 'number' && next >= 0 ? next : delay); // onTick may have stopped it
    }, delay);
    timer.unref();
  };
  tick(tickMs);
  return () => { stopped = true; if (timer) clearTimeout(timer); };
}
