/**
 * RESP2/RESP3 reply decoder: bytes a Redis-compatible server sent → JavaScript values.
 *
 * Owns: `decodeReply` (value of one complete reply) and `replyLength` (where one complete
 * reply ends, without allocating). Used by the in-process Engine, tests and tools.
 * Must not touch: sockets, request parsing, command semantics.
 *
 * Malformed input (an unknown type byte, a bad length, a line not ending in CRLF) throws a
 * ProtocolError; incomplete input is not an error (`undefined` / -1).
 */

import { ProtocolError, ReplyError } from './errors.js';

export { ReplyError } from './errors.js';

/** Options of {@link decodeReply}. */
export interface DecodeReplyOptions {
  /** Strings as JS strings (UTF-8, default true) or as Buffers (copies) when false. */
  stringify?: boolean;
}

/** A decoded reply and the offset just past it. */
export interface DecodedReply {
  value: unknown;
  end: number;
}

const CR = 13;
const LF = 10;

/** Returned inside the decoder when the reply is not complete yet. */
const INCOMPLETE: unique symbol = Symbol('incomplete');
type Incomplete = typeof INCOMPLETE;

/**
 * Decodes one complete RESP2/RESP3 reply from `buf` at `offset`; returns undefined if the
 * bytes end before the reply does.
 *
 * Mapping: simple and bulk strings → string (Buffer when `stringify` is false); errors →
 * {@link ReplyError} values (not thrown); integers → number (bigint beyond 2^53); `$-1`, `*-1`
 * and `_` → null; arrays, sets and pushes → arrays; maps → plain objects (a Map when some key
 * is not a string); doubles → number (inf, -inf, nan included); booleans → boolean; big
 * numbers → bigint; verbatim strings → their text without the `txt:` prefix. Attributes
 * (`|`) are skipped: the value they annotate is returned.
 *
 * @throws ProtocolError when the bytes are not RESP.
 */
export function decodeReply(
  buf: Uint8Array,
  offset = 0,
  opts: DecodeReplyOptions = {},
): DecodedReply | undefined {
  const decoder = new Decoder(asBuffer(buf), offset, opts.stringify ?? true);
  const value = decoder.value();
  if (value === INCOMPLETE) return undefined;
  return { value, end: decoder.pos };
}

/**
 * Byte length of the one complete reply at `offset`, or -1 if `buf` ends before it does.
 * Walks the reply without recursion and without allocating.
 *
 * @throws ProtocolError when the bytes are not RESP.
 */
export function replyLength(buf: Uint8Array, offset = 0): number {
  const end = buf.length;
  let pos = offset;
  // Replies still to walk: aggregates add their elements, every finished reply removes one.
  let pending = 1;
  while (pending > 0) {
    if (pos >= end) return -1;
    const type = buf[pos]!;
    const cr = lineEnd(buf, pos + 1);
    if (cr < 0) return -1;
    switch (type) {
      case 0x2b: // + simple string
      case 0x2d: // - error
      case 0x3a: // : integer
      case 0x2c: // , double
      case 0x23: // # boolean
      case 0x28: // ( big number
      case 0x5f: // _ null
        pos = cr + 2;
        pending--;
        break;
      case 0x24: // $ bulk string
      case 0x3d: // = verbatim string
      case 0x21: { // ! blob error
        const n = lengthField(buf, pos + 1, cr);
        pos = cr + 2;
        if (n >= 0) {
          if (end - pos < n + 2) return -1;
          expectCrlf(buf, pos + n);
          pos += n + 2;
        }
        pending--;
        break;
      }
      case 0x2a: // * array
      case 0x7e: // ~ set
      case 0x3e: { // > push
        const n = lengthField(buf, pos + 1, cr);
        pos = cr + 2;
        pending += (n > 0 ? n : 0) - 1;
        break;
      }
      case 0x25: { // % map
        const n = lengthField(buf, pos + 1, cr);
        pos = cr + 2;
        pending += (n > 0 ? 2 * n : 0) - 1;
        break;
      }
      case 0x7c: { // | attribute: its pairs come first, then the value it annotates
        const n = lengthField(buf, pos + 1, cr);
        pos = cr + 2;
        pending += n > 0 ? 2 * n : 0;
        break;
      }
      default:
        throw badType(type);
    }
  }
  return pos - offset;
}

/** Recursive decoder over one buffer; `pos` moves past what has been decoded. */
class Decoder {
  pos: number;
  private readonly buf: Buffer;
  private readonly stringify: boolean;

  constructor(buf: Buffer, pos: number, stringify: boolean) {
    this.buf = buf;
    this.pos = pos;
    this.stringify = stringify;
  }

  value(): unknown {
    const buf = this.buf;
    const start = this.pos;
    if (start >= buf.length) return INCOMPLETE;
    const type = buf[start]!;
    const cr = lineEnd(buf, start + 1);
    if (cr < 0) return INCOMPLETE;
    this.pos = cr + 2;
    switch (type) {
      case 0x2b: // +
        return this.text(start + 1, cr);
      case 0x2d: // -
        return new ReplyError(buf.toString('utf8', start + 1, cr));
      case 0x3a: // :
        return integerField(buf, start + 1, cr);
      case 0x5f: // _
        if (cr !== start + 1) throw new ProtocolError('Protocol error: invalid null reply');
        return null;
      case 0x2c: // ,
        return doubleField(buf, start + 1, cr);
      case 0x23: { // #
        const c = cr === start + 2 ? buf[start + 1] : 0;
        if (c === 0x74) return true;
        if (c === 0x66) return false;
        throw new ProtocolError('Protocol error: invalid boolean reply');
      }
      case 0x28: // (
        return bigField(buf, start + 1, cr);
      case 0x24: // $
      case 0x3d: // =
      case 0x21: { // !
        const n = lengthField(buf, start + 1, cr);
        if (n < 0) return null;
        const from = this.pos;
        if (buf.length - from < n + 2) return INCOMPLETE;
        expectCrlf(buf, from + n);
        this.pos = from + n + 2;
        if (type === 0x21) return new ReplyError(buf.toString('utf8', from, from + n));
        // Verbatim strings start with a three-letter format and ':'.
        const skip = type === 0x3d ? Math.min(4, n) : 0;
        return this.text(from + skip, from + n);
      }
      case 0x2a: // *
      case 0x7e: // ~
      case 0x3e: { // >
        const n = lengthField(buf, start + 1, cr);
        if (n < 0) return null;
        // No preallocation: a length can be huge while its elements have not arrived.
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const item = this.value();
          if (item === INCOMPLETE) return INCOMPLETE;
          items.push(item);
        }
        return items;
      }
      case 0x25: { // %
        const n = lengthField(buf, start + 1, cr);
        if (n < 0) return null;
        return this.map(n);
      }
      case 0x7c: { // | attribute, dropped
        const n = lengthField(buf, start + 1, cr);
        if (n > 0 && this.map(n) === INCOMPLETE) return INCOMPLETE;
        return this.value();
      }
      default:
        throw badType(type);
    }
  }

  /** n key/value pairs → plain object while keys are strings, a Map otherwise. */
  private map(n: number): Record<string, unknown> | Map<unknown, unknown> | Incomplete {
    let obj: Record<string, unknown> | null = {};
    let map: Map<unknown, unknown> | null = null;
    for (let i = 0; i < n; i++) {
      const key = this.value();
      if (key === INCOMPLETE) return INCOMPLETE;
      const val = this.value();
      if (val === INCOMPLETE) return INCOMPLETE;
      if (obj !== null && typeof key !== 'string') {
        map = new Map(Object.entries(obj));
        obj = null;
      }
      if (obj !== null) {
        // A key named __proto__ must become a property, not replace the prototype.
        Object.defineProperty(obj, key as string, {
          value: val,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        map!.set(key, val);
      }
    }
    return obj ?? map!;
  }

  private text(from: number, to: number): string | Buffer {
    if (this.stringify) return this.buf.toString('utf8', from, to);
    return Buffer.from(this.buf.subarray(from, to));
  }
}

function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Index of the '\r' ending the line that starts at `from`, or -1 when the line (or the '\n'
 * after its '\r') has not arrived yet.
 */
function lineEnd(buf: Uint8Array, from: number): number {
  const end = buf.length;
  for (let i = from; i < end; i++) {
    if (buf[i] === CR) {
      if (i + 1 >= end) return -1;
      if (buf[i + 1] !== LF) throw new ProtocolError('Protocol error: line not ended by CRLF');
      return i;
    }
  }
  return -1;
}

function expectCrlf(buf: Uint8Array, at: number): void {
  if (buf[at] !== CR || buf[at + 1] !== LF) {
    throw new ProtocolError('Protocol error: bulk not followed by CRLF');
  }
}

/** A length field: -1 (null) or a non-negative integer. */
function lengthField(buf: Uint8Array, from: number, to: number): number {
  if (to - from === 2 && buf[from] === 0x2d && buf[from + 1] === 0x31) return -1;
  if (to === from || to - from > 10) throw new ProtocolError('Protocol error: invalid length');
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) throw new ProtocolError('Protocol error: invalid length');
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** `:` payload → number, or bigint when it does not fit a double exactly. */
function integerField(buf: Buffer, from: number, to: number): number | bigint {
  let i = from;
  const negative = buf[i] === 0x2d;
  if (negative || buf[i] === 0x2b) i++;
  if (i === to) throw new ProtocolError('Protocol error: invalid integer');
  if (to - i > 15) {
    const big = bigField(buf, from, to);
    const asNumber = Number(big);
    return Number.isSafeInteger(asNumber) ? asNumber : big;
  }
  let n = 0;
  for (; i < to; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) throw new ProtocolError('Protocol error: invalid integer');
    n = n * 10 + (c - 0x30);
  }
  return negative ? -n : n;
}

function bigField(buf: Buffer, from: number, to: number): bigint {
  const text = buf.toString('latin1', from, to);
  if (!/^[-+]?[0-9]+$/.test(text)) throw new ProtocolError('Protocol error: invalid big number');
  return BigInt(text);
}

function doubleField(buf: Buffer, from: number, to: number): number {
  const text = buf.toString('latin1', from, to);
  switch (text) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
  }
  const n = text === '' ? NaN : Number(text);
  if (Number.isNaN(n)) throw new ProtocolError('Protocol error: invalid double');
  return n;
}

function badType(type: number): ProtocolError {
  return new ProtocolError(`Protocol error: unknown reply type '${String.fromCharCode(type)}'`);
}
