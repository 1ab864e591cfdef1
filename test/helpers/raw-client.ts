/**
 * Raw RESP client for tests: sends exact bytes, returns exact reply bytes.
 *
 * - `send(...args)` encodes one multibulk request and resolves with the raw bytes of one reply.
 * - `sendRaw(bytes, n)` writes arbitrary bytes (inline commands, malformed RESP) and resolves with
 *   n raw replies; `collect()` gathers everything until the server goes quiet or closes.
 * - Connection close by the server is detected (`closed`, `waitClosed()`).
 *
 * Reply framing uses `replyLength(buf, offset)` from src/resp/reply-decoder.ts when that module
 * exists (see docs/CONTRACTS.md), otherwise the minimal framer below. Set RAW_CLIENT_FRAMER=internal
 * to force the internal one.
 */
import net from 'node:net';

export type Arg = string | number | bigint | Uint8Array;
export type Framer = (buf: Uint8Array, offset?: number) => number;

const CR = 13;
const LF = 10;

function findCRLF(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 1 < end; i++) {
    if (buf[i] === CR && buf[i + 1] === LF) return i;
  }
  return -1;
}

function parseIntAscii(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
  }
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return Number.NaN;
    n = n * 10 + (c - 48);
  }
  return neg ? -n : n;
}

/**
 * Byte length of one complete RESP2/RESP3 reply at `offset`, or -1 if incomplete.
 * Minimal and allocation free; used until/unless src/resp/reply-decoder.ts provides one.
 * Throws on bytes that are not a RESP reply at all.
 */
export function internalReplyLength(buf: Uint8Array, offset = 0): number {
  const end = buf.length;
  let pos = offset;
  let need = 1;
  while (need > 0) {
    if (pos >= end) return -1;
    const type = buf[pos]!;
    const lineEnd = findCRLF(buf, pos + 1, end);
    if (lineEnd < 0) return -1;
    need--;
    switch (type) {
      case 0x24: /* $ */
      case 0x21: /* ! */
      case 0x3d: /* = */ {
        const n = parseIntAscii(buf, pos + 1, lineEnd);
        if (Number.isNaN(n)) throw new Error(`bad length in reply at ${pos}`);
        if (n < 0) pos = lineEnd + 2;
        else {
          pos = lineEnd + 2 + n + 2;
          if (pos > end) return -1;
        }
        break;
      }
      case 0x2a: /* * */
      case 0x7e: /* ~ */
      case 0x3e: /* > */
      case 0x25: /* % */
      case 0x7c: /* | */ {
        const n = parseIntAscii(buf, pos + 1, lineEnd);
        if (Number.isNaN(n)) throw new Error(`bad count in reply at ${pos}`);
        if (n > 0) need += type === 0x25 ? 2 * n : type === 0x7c ? 2 * n + 1 : n;
        else if (type === 0x7c) need += 1;
        pos = lineEnd + 2;
        break;
      }
      case 0x2b: /* + */
      case 0x2d: /* - */
      case 0x3a: /* : */
      case 0x5f: /* _ */
      case 0x2c: /* , */
      case 0x23: /* # */
      case 0x28: /* ( */
        pos = lineEnd + 2;
        break;
      default:
        throw new Error(`not a RESP reply: byte 0x${type.toString(16)} at ${pos}`);
    }
  }
  return pos - offset;
}

let framer: Framer = internalReplyLength;
let framerName = 'internal';
let framerLoaded: Promise<void> | undefined;

/** Load `replyLength` from src/resp/reply-decoder.ts if it exists (once). */
export function loadFramer(): Promise<void> {
  if (!framerLoaded) {
    framerLoaded = (async () => {
      if (process.env.RAW_CLIENT_FRAMER === 'internal') return;
      const spec = new URL('../../src/resp/reply-decoder.ts', import.meta.url).href;
      let mod: { replyLength?: unknown };
      try {
        mod = (await import(/* @vite-ignore */ spec)) as { replyLength?: unknown };
      } catch (e) {
        const msg = (e as Error).message ?? '';
        if (!/Cannot find|not find|ENOENT|Failed to load|does not exist/i.test(msg)) {
          console.warn(`[raw-client] src/resp/reply-decoder.ts failed to load, using internal framer: ${msg}`);
        }
        return;
      }
      if (typeof mod.replyLength === 'function') {
        framer = mod.replyLength as Framer;
        framerName = 'src/resp/reply-decoder.ts';
      }
    })();
  }
  return framerLoaded;
}

export function currentFramer(): string {
  return framerName;
}

/** Encode a request as a RESP multibulk. */
export function encodeCommand(args: readonly Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = toBuf(a);
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export function toBuf(a: Arg): Buffer {
  if (typeof a === 'string') return Buffer.from(a, 'utf8');
  if (typeof a === 'number' || typeof a === 'bigint') return Buffer.from(String(a));
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Printable form of raw bytes: "+OK\r\n", non-printables as \xNN, long payloads shortened. */
export function escapeBytes(b: Uint8Array, max = 400): string {
  let s = '';
  const n = Math.min(b.length, max);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 13) s += '\\r';
    else if (c === 10) s += '\\n';
    else if (c === 9) s += '\\t';
    else if (c === 92) s += '\\\\';
    else if (c === 34) s += '\\"';
    else if (c >= 32 && c < 127) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  if (b.length > max) s += `…(+${b.length - max} bytes)`;
  return `"${s}"`;
}

export class ConnectionClosedError extends Error {
  constructor(
    message: string,
    public readonly leftover: Buffer,
  ) {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}

interface Waiter {
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface RawClientOptions {
  host?: string;
  /** Per-reply timeout in ms (default 10 s). */
  timeout?: number;
}

export class RawClient {
  /** Growable receive buffer: unread bytes are buf[start, end). */
  private buf = Buffer.allocUnsafe(64 * 1024);
  private start = 0;
  private end = 0;
  private waiters: Waiter[] = [];
  private closeWaiters: (() => void)[] = [];
  private dataWaiters: (() => void)[] = [];
  private _closed = false;
  private _error: Error | undefined;
  readonly timeout: number;

  private constructor(
    readonly socket: net.Socket,
    opts: RawClientOptions,
  ) {
    this.timeout = opts.timeout ?? 10_000;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => {
      this._error = e;
    });
    socket.on('close', () => this.onClose());
  }

  static async connect(port: number, opts: RawClientOptions = {}): Promise<RawClient> {
    await loadFramer();
    const host = opts.host ?? '127.0.0.1';
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.createConnection({ port, host });
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    return new RawClient(socket, opts);
  }

  get closed(): boolean {
    return this._closed;
  }

  /** Number of received bytes not yet consumed as replies. */
  get buffered(): number {
    return this.end - this.start;
  }

  private onData(chunk: Buffer): void {
    const len = chunk.length;
    if (this.end + len > this.buf.length) {
      const used = this.end - this.start;
      if (used + len <= this.buf.length) {
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        let cap = this.buf.length;
        while (cap < used + len) cap *= 2;
        const nb = Buffer.allocUnsafe(cap);
        this.buf.copy(nb, 0, this.start, this.end);
        this.buf = nb;
      }
      this.start = 0;
      this.end = used;
    }
    chunk.copy(this.buf, this.end);
    this.end += len;
    this.pump();
    const dw = this.dataWaiters;
    this.dataWaiters = [];
    for (const w of dw) w();
  }

  private onClose(): void {
    this._closed = true;
    this.pump();
    const leftover = Buffer.from(this.buf.subarray(this.start, this.end));
    const err = new ConnectionClosedError(
      `connection closed by server${this._error ? ` (${this._error.message})` : ''}` +
        (leftover.length ? `; unframed bytes: ${escapeBytes(leftover)}` : ''),
      leftover,
    );
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    for (const w of this.closeWaiters.splice(0)) w();
    for (const w of this.dataWaiters.splice(0)) w();
  }

  /** Try to take one complete reply off the buffer. */
  private takeReply(): Buffer | undefined {
    if (this.end === this.start) return undefined;
    const view = this.buf.subarray(this.start, this.end);
    const n = framer(view, 0);
    if (n < 0) return undefined;
    const out = Buffer.from(view.subarray(0, n));
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }

  private pump(): void {
    while (this.waiters.length > 0) {
      let r: Buffer | undefined;
      try {
        r = this.takeReply();
      } catch (e) {
        const w = this.waiters.shift()!;
        clearTimeout(w.timer);
        w.reject(new Error(`${(e as Error).message}; buffered: ${escapeBytes(this.peek())}`));
        continue;
      }
      if (!r) return;
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(r);
    }
  }

  /** Unconsumed bytes (copy). */
  peek(): Buffer {
    return Buffer.from(this.buf.subarray(this.start, this.end));
  }

  /** Write bytes without waiting for anything. */
  write(bytes: string | Uint8Array): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Resolve with the next complete reply (raw bytes). */
  readReply(timeout = this.timeout): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`timeout after ${timeout} ms waiting for a reply; buffered: ${escapeBytes(this.peek())}`));
      }, timeout);
      this.waiters.push({ resolve, reject, timer });
      this.pump();
      if (this._closed && this.waiters.length > 0) this.onClose();
    });
  }

  async readReplies(n: number, timeout = this.timeout): Promise<Buffer[]> {
    const ps: Promise<Buffer>[] = [];
    for (let i = 0; i < n; i++) ps.push(this.readReply(timeout));
    return Promise.all(ps);
  }

  /** Send one command (multibulk) and resolve with its raw reply. */
  send(...args: Arg[]): Promise<Buffer> {
    const p = this.readReply();
    this.socket.write(encodeCommand(args));
    return p;
  }

  /** Send many commands in one write and resolve with all their raw replies. */
  pipeline(cmds: readonly (readonly Arg[])[]): Promise<Buffer[]> {
    const p = this.readReplies(cmds.length);
    this.socket.write(Buffer.concat(cmds.map((c) => encodeCommand(c))));
    return p;
  }

  /** Write raw bytes (a string is sent as latin1) and resolve with `replies` raw replies. */
  sendRaw(bytes: string | Uint8Array, replies = 1): Promise<Buffer[]> {
    const p = this.readReplies(replies);
    this.write(bytes);
    return p;
  }

  /** Switch the connection to RESP3; resolves with the raw HELLO reply. */
  hello3(...extra: Arg[]): Promise<Buffer> {
    return this.send('HELLO', '3', ...extra);
  }

  /**
   * Wait for the first byte (up to `firstMs`), then until the server has been quiet for `idleMs`
   * or closed the connection; return every unconsumed byte and whether the connection is closed.
   */
  async collect(idleMs = 150, firstMs = 2000, maxMs = 10_000): Promise<{ bytes: Buffer; closed: boolean }> {
    const deadline = Date.now() + maxMs;
    let first = this.end === this.start;
    while (!this._closed && Date.now() < deadline) {
      const wait = first ? firstMs : idleMs;
      const got = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          const i = this.dataWaiters.indexOf(on);
          if (i >= 0) this.dataWaiters.splice(i, 1);
          resolve(false);
        }, wait);
        const on = () => {
          clearTimeout(t);
          resolve(true);
        };
        this.dataWaiters.push(on);
      });
      if (!got) break;
      first = false;
    }
    const bytes = this.peek();
    this.start = this.end = 0;
    return { bytes, closed: this._closed };
  }

  /** Resolve true once the server closes the connection, false after `timeout` ms. */
  waitClosed(timeout = 2000): Promise<boolean> {
    if (this._closed) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => {
        const i = this.closeWaiters.indexOf(on);
        if (i >= 0) this.closeWaiters.splice(i, 1);
        resolve(false);
      }, timeout);
      const on = () => {
        clearTimeout(t);
        resolve(true);
      };
      this.closeWaiters.push(on);
    });
  }

  /** Close our side and wait for the socket to be fully closed. */
  close(): Promise<void> {
    if (this._closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.closeWaiters.push(resolve);
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Reply trees, for comparison rules that need to look inside a reply (sorting, tolerances).

export interface ReplyNode {
  /** RESP type byte as a character: + - : $ * _ , # ( ! = % ~ > | */
  type: string;
  /** Line payload for simple types / bulk payload; null for null bulk/array. */
  data: Buffer | null;
  children?: ReplyNode[];
  /** Raw bytes of the whole node. */
  raw: Buffer;
}

/** Parse one complete reply into a tree (throws if incomplete). */
export function parseReplyTree(buf: Buffer, offset = 0): { node: ReplyNode; end: number } {
  const type = String.fromCharCode(buf[offset]!);
  const lineEnd = findCRLF(buf, offset + 1, buf.length);
  if (lineEnd < 0) throw new Error('incomplete reply');
  const line = buf.subarray(offset + 1, lineEnd);
  let pos = lineEnd + 2;
  switch (type) {
    case '$':
    case '!':
    case '=': {
      const n = parseIntAscii(buf, offset + 1, lineEnd);
      if (n < 0) return { node: { type, data: null, raw: buf.subarray(offset, pos) }, end: pos };
      const data = buf.subarray(pos, pos + n);
      pos += n + 2;
      return { node: { type, data, raw: buf.subarray(offset, pos) }, end: pos };
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const n = parseIntAscii(buf, offset + 1, lineEnd);
      if (n < 0) return { node: { type, data: null, raw: buf.subarray(offset, pos) }, end: pos };
      const count = type === '%' || type === '|' ? 2 * n : n;
      const children: ReplyNode[] = [];
      for (let i = 0; i < count; i++) {
        const r = parseReplyTree(buf, pos);
        children.push(r.node);
        pos = r.end;
      }
      return { node: { type, data: line, children, raw: buf.subarray(offset, pos) }, end: pos };
    }
    default:
      return { node: { type, data: line, raw: buf.subarray(offset, pos) }, end: pos };
  }
}
