// A tiny RESP2 client over a raw TCP socket, for the benchmarks only.
//
// It owns: connecting to 127.0.0.1, sending commands, decoding replies, and deep pipelining
// (bulk loading). It must not depend on wasmdis's own sources: the benchmark measures them,
// so it cannot trust them to talk to the server.

import net from 'node:net';

/** An error reply from the server ("-ERR …"); returned as a value, never thrown by the decoder. */
export class RespErrorReply extends Error {}

const CR = 13;
const LF = 10;

/**
 * Decode one RESP2 reply at `offset`.
 * @param {Buffer} buf
 * @param {number} offset
 * @returns {{ value: unknown, end: number } | undefined} undefined while the reply is incomplete
 */
export function decodeReply(buf, offset = 0) {
  if (offset >= buf.length) return undefined;
  const lineEnd = buf.indexOf(LF, offset);
  if (lineEnd < 0) return undefined;
  const type = buf[offset];
  const line = buf.toString('latin1', offset + 1, buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd);
  const next = lineEnd + 1;
  switch (type) {
    case 0x2b: // '+'
      return { value: line, end: next };
    case 0x2d: // '-'
      return { value: new RespErrorReply(line), end: next };
    case 0x3a: // ':'
      return { value: Number(line), end: next };
    case 0x24: { // '$'
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case 0x2a: { // '*'
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = decodeReply(buf, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`unexpected RESP type byte 0x${type.toString(16)} in reply`);
  }
}

/** Encode one command as a RESP multibulk. */
export function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const s = String(arg);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return out;
}

/**
 * One connection. Replies are matched to requests in order: `command()` waits for one reply,
 * `sendBatch()` for a known number of replies without keeping them (for bulk loading).
 */
export class RespConnection {
  /** @param {number} port @param {{ host?: string, timeoutMs?: number }} [opts] */
  static connect(port, { host = '127.0.0.1', timeoutMs = 2000 } = {}) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new RespConnection(socket));
      });
    });
  }

  /** @param {net.Socket} socket */
  constructor(socket) {
    this.socket = socket;
    this.pending = Buffer.alloc(0);
    /** FIFO of reply consumers: { one: resolve } or a batch counter. */
    this.waiters = [];
    this.failure = null;
    /** Replies received so far, and when the last one arrived (for stall detection). */
    this.replyCount = 0;
    this.lastReplyAt = Date.now();
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by server')));
  }

  onData(chunk) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    for (;;) {
      let reply;
      try {
        reply = decodeReply(this.pending, at);
      } catch (err) {
        this.fail(err);
        return;
      }
      if (!reply) break;
      at = reply.end;
      this.deliver(reply.value);
    }
    this.pending = at === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(at);
  }

  deliver(value) {
    this.replyCount++;
    this.lastReplyAt = Date.now();
    const waiter = this.waiters[0];
    if (!waiter) {
      this.fail(new Error('reply without a request'));
      return;
    }
    if (waiter.one) {
      this.waiters.shift();
      waiter.one(value);
      return;
    }
    waiter.remaining--;
    if (value instanceof RespErrorReply) {
      waiter.errors++;
      waiter.firstError ??= value.message;
    }
    if (waiter.remaining === 0) {
      this.waiters.shift();
      waiter.done({ errors: waiter.errors, firstError: waiter.firstError });
    }
  }

  /** Fail every pending request with `err` and close the connection. */
  fail(err) {
    if (this.failure) return;
    this.failure = err;
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
    this.socket.destroy();
  }

  /** Send one command and wait for its reply (error replies resolve as RespErrorReply values). */
  command(...args) {
    if (this.failure) return Promise.reject(this.failure);
    const promise = new Promise((resolve, reject) => this.waiters.push({ one: resolve, reject }));
    this.socket.write(encodeCommand(args));
    return promise;
  }

  /**
   * Write pre-encoded commands and resolve once `replyCount` replies came back; the replies
   * themselves are only counted, and error replies tallied.
   * @param {string | Buffer} data
   * @param {number} replyCount
   * @returns {Promise<{ errors: number, firstError?: string }>}
   */
  sendBatch(data, replyCount) {
    if (this.failure) return Promise.reject(this.failure);
    const promise = new Promise((resolve, reject) =>
      this.waiters.push({ remaining: replyCount, errors: 0, firstError: undefined, done: resolve, reject }),
    );
    this.socket.write(data);
    return promise;
  }

  close() {
    this.failure ??= new Error('connection closed');
    this.socket.destroy();
  }
}

/** Reject with "<what> timed out" if `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no reply within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Send PING once; true only on +PONG (a LOADING error or a refused connection is "not yet"). */
export async function pingOnce(port, timeoutMs = 1000) {
  let conn;
  try {
    conn = await RespConnection.connect(port, { timeoutMs });
    const reply = await Promise.race([
      conn.command('PING'),
      new Promise((resolve) => setTimeout(() => resolve(undefined), timeoutMs)),
    ]);
    return reply === 'PONG';
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}
