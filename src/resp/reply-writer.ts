/**
 * RESP reply encoder for JavaScript-side replies (host commands, the framework, tests).
 *
 * Owns: rendering reply values as bytes for a RESP2 or RESP3 client, the way Redis 7.0's
 * addReply* helpers do, so callers never branch on the protocol version (map → flat array in
 * RESP2, double → bulk string, null → `$-1`, ...). Also owns `formatDouble`, Redis 7.0's
 * `%.17g` text for doubles.
 * Must not touch: sockets or command semantics; it only fills a buffer.
 *
 * Speed: one growable Buffer reused across replies; ASCII is written byte by byte without
 * intermediate strings; numbers are written digit by digit.
 */

const CR = 13;
const LF = 10;
const INITIAL_SIZE = 16 * 1024;
/** After a reply larger than this, `reset` lets the big buffer go. */
const KEEP_MAX = 1024 * 1024;
/** Below this length a string is checked for ASCII in JS; above it Buffer.byteLength is faster. */
const SHORT_STRING = 128;

/**
 * Builds RESP replies into one reusable buffer.
 *
 * ```ts
 * const w = new ReplyWriter(3);
 * w.mapLen(1).bulk('score').double(1.5);
 * socket.write(w.toBuffer());
 * w.reset();
 * ```
 *
 * Every method returns `this` so calls chain. Aggregates are written as a header followed by
 * their elements, exactly like Redis's addReplyArrayLen + addReply*.
 */
export class ReplyWriter {
  /** Protocol of the client: 2 or 3 (HELLO switches it). */
  resp: 2 | 3;

  private buf: Buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  private pos = 0;

  /** @param resp Protocol version of the client, 2 (default) or 3. */
  constructor(resp: 2 | 3 = 2) {
    this.resp = resp;
  }

  /** Bytes written since the last reset. */
  get length(): number {
    return this.pos;
  }

  /** A copy of the bytes written so far (the internal buffer is reused after `reset`). */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /** Empties the writer; an unusually large buffer is dropped rather than kept. */
  reset(): void {
    this.pos = 0;
    if (this.buf.length > KEEP_MAX) this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
  }
  /** Drop everything written after `mark` (a `length` read earlier): undo a half-written reply. */
  truncate(mark: number): void {
    if (mark >= 0 && mark < this.pos) this.pos = mark;
  }


  /** Simple string `+s`. CR and LF become spaces so the reply cannot break the protocol. */
  status(s: string): this {
    return this.line(0x2b /* + */, s);
  }

  /**
   * Error `-s`; `s` includes the code, e.g. `"ERR unknown command"`. CR and LF become spaces,
   * as Redis's addReplyErrorFormat does.
   */
  error(s: string): this {
    return this.line(0x2d /* - */, s);
  }

  /** Integer `:n`. Throws TypeError for a non-integer number (a caller bug). */
  int(n: number | bigint): this {
    if (typeof n === 'bigint') return this.line(0x3a /* : */, n.toString());
    if (!Number.isInteger(n)) throw new TypeError(`ReplyWriter.int: not an integer: ${n}`);
    if (!Number.isSafeInteger(n)) return this.line(0x3a, BigInt(n).toString());
    this.header(0x3a, n);
    return this;
  }

  /** Bulk string; strings are sent as UTF-8. `null` is the null reply (`$-1` / `_`). */
  bulk(v: string | Uint8Array | null): this {
    if (v === null) return this.null();
    if (typeof v === 'string') this.bulkString(0x24 /* $ */, v, '');
    else {
      this.header(0x24, v.length);
      this.ensure(v.length + 2);
      this.buf.set(v, this.pos);
      this.pos += v.length;
      this.crlf();
    }
    return this;
  }

  /** Array header `*n`; the n elements follow. */
  arrayLen(n: number): this {
    this.header(0x2a /* * */, n);
    return this;
  }

  /** Null array: `*-1` in RESP2, `_` in RESP3. */
  nullArray(): this {
    if (this.resp === 3) return this.raw3(0x5f /* _ */);
    this.header(0x2a, -1);
    return this;
  }

  /** Map header for n key/value pairs: `%n` in RESP3, a flat array `*2n` in RESP2. */
  mapLen(n: number): this {
    if (this.resp === 3) this.header(0x25 /* % */, n);
    else this.header(0x2a, n * 2);
    return this;
  }

  /** Set header: `~n` in RESP3, `*n` in RESP2. */
  setLen(n: number): this {
    this.header(this.resp === 3 ? 0x7e /* ~ */ : 0x2a, n);
    return this;
  }

  /** Push header (pub/sub messages, invalidations): `>n` in RESP3, `*n` in RESP2. */
  pushLen(n: number): this {
    this.header(this.resp === 3 ? 0x3e /* > */ : 0x2a, n);
    return this;
  }

  /** Null reply: `_` in RESP3, the null bulk `$-1` in RESP2. */
  null(): this {
    if (this.resp === 3) return this.raw3(0x5f);
    this.header(0x24, -1);
    return this;
  }

  /**
   * Double as Redis 7.0 writes it (`%.17g`, `inf`, `-inf`, `nan`): `,text` in RESP3, a bulk
   * string with the same text in RESP2.
   */
  double(d: number): this {
    const text = formatDouble(d);
    if (this.resp === 3) return this.line(0x2c /* , */, text);
    this.bulkString(0x24, text, '');
    return this;
  }

  /** Boolean: `#t` / `#f` in RESP3, `:1` / `:0` in RESP2. */
  bool(b: boolean): this {
    if (this.resp === 3) {
      this.ensure(4);
      const buf = this.buf;
      buf[this.pos] = 0x23; // #
      buf[this.pos + 1] = b ? 0x74 : 0x66; // t / f
      buf[this.pos + 2] = CR;
      buf[this.pos + 3] = LF;
      this.pos += 4;
      return this;
    }
    this.header(0x3a, b ? 1 : 0);
    return this;
  }

  /**
   * Verbatim string `=len\r\nfmt:text` in RESP3 (format is three characters, `txt` or `mkd`);
   * a plain bulk string in RESP2.
   */
  verbatim(text: string, format = 'txt'): this {
    if (this.resp === 3) this.bulkString(0x3d /* = */, text, `${format}:`);
    else this.bulkString(0x24, text, '');
    return this;
  }

  /** Big number `(digits` in RESP3; a bulk string in RESP2, as Redis's addReplyBigNum. */
  bigNumber(s: string): this {
    if (this.resp === 3) return this.line(0x28 /* ( */, s);
    this.bulkString(0x24, s, '');
    return this;
  }

  /** Appends bytes as they are (strings as UTF-8), e.g. a reply rendered elsewhere. */
  raw(b: Uint8Array | string): this {
    if (typeof b === 'string') {
      this.ensure(b.length * 3);
      this.pos += this.buf.write(b, this.pos, 'utf8');
    } else {
      this.ensure(b.length);
      this.buf.set(b, this.pos);
      this.pos += b.length;
    }
    return this;
  }

  /** `<type>s\r\n` for a one-line reply; CR/LF inside s become spaces. */
  private line(type: number, s: string): this {
    const len = s.length;
    this.ensure(len * 3 + 3);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = type;
    for (let i = 0; i < len; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: let Node encode UTF-8.
        p = start + 1;
        p += buf.write(s.replace(/[\r\n]/g, ' '), p, 'utf8');
        break;
      }
      if (c === CR || c === LF) c = 0x20;
      buf[p++] = c;
    }
    buf[p] = CR;
    buf[p + 1] = LF;
    this.pos = p + 2;
    return this;
  }

  /** `<type><bytes of prefix+s>\r\n<prefix><s>\r\n`; prefix is ASCII (verbatim's "txt:"). */
  private bulkString(type: number, s: string, prefix: string): void {
    const len = s.length;
    let ascii = len < SHORT_STRING;
    if (ascii) {
      for (let i = 0; i < len; i++) {
        if (s.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
    }
    const bytes = ascii ? len : Buffer.byteLength(s, 'utf8');
    this.header(type, prefix.length + bytes);
    this.ensure(prefix.length + bytes + 2);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < prefix.length; i++) buf[p++] = prefix.charCodeAt(i);
    if (ascii) {
      for (let i = 0; i < len; i++) buf[p++] = s.charCodeAt(i);
    } else {
      p += buf.write(s, p, bytes, 'utf8');
    }
    buf[p] = CR;
    buf[p + 1] = LF;
    this.pos = p + 2;
  }

  /** `<type><n>\r\n` with n a safe integer, written digit by digit. */
  private header(type: number, n: number): void {
    this.ensure(24);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = type;
    if (n < 0) {
      buf[p++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      buf[p++] = 0x30 + n;
    } else {
      let digits = 1;
      for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
      let q = p + digits;
      p = q;
      do {
        const next = Math.floor(n / 10);
        buf[--q] = 0x30 + (n - next * 10);
        n = next;
      } while (n > 0);
    }
    buf[p] = CR;
    buf[p + 1] = LF;
    this.pos = p + 2;
  }

  /** A three-byte RESP3 reply `<type>\r\n` such as `_`. */
  private raw3(type: number): this {
    this.ensure(3);
    const buf = this.buf;
    buf[this.pos] = type;
    buf[this.pos + 1] = CR;
    buf[this.pos + 2] = LF;
    this.pos += 3;
    return this;
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.pos] = CR;
    this.buf[this.pos + 1] = LF;
    this.pos += 2;
  }

  /** Makes room for n more bytes, doubling the buffer so appends stay amortised O(1). */
  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

const SIGNIFICANT = 17;
const TWO_POW_25 = 33554432;
const TWO_POW_53 = 9007199254740992;
const FIVE_POW_25 = 5n ** 25n;
/** Scratch for reading a NaN's sign bit (big-endian, so the sign is in byte 0). */
const signView = new DataView(new ArrayBuffer(8));

/**
 * A double as Redis 7.0 prints it in replies: C's `printf("%.17g")` (so 1.1 is
 * "1.1000000000000001"), with "inf" / "-inf", and glibc's "nan" / "-nan".
 */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d !== d) {
    signView.setFloat64(0, d);
    return signView.getUint8(0) & 0x80 ? '-nan' : 'nan';
  }
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // Integers below 2^53 have at most 16 digits: %.17g prints them exactly, as String does.
  if (Number.isSafeInteger(d)) return String(d);

  // JS rounds a tie (exact value halfway between two 17-digit decimals) away from zero,
  // printf rounds it to even. A tie needs an exact expansion of exactly 18 digits, which only
  // doubles with at most 25 fractional bits have; check those exactly.
  if (Math.abs(d) < TWO_POW_53 && Number.isInteger(d * TWO_POW_25)) {
    const e18 = d.toExponential(SIGNIFICANT);
    if (e18.charCodeAt(e18.indexOf('e') - 1) === 0x35 /* '5' */) return gStyle(exactExponential(d));
  }
  const abs = Math.abs(d);
  if (abs >= 1e-4 && abs < 1e17) {
    // Here %g picks the fixed form, and so does toPrecision: only trailing zeros differ.
    return stripFraction(d.toPrecision(SIGNIFICANT));
  }
  return gStyle(d.toExponential(SIGNIFICANT - 1));
}

/** "2.5000" → "2.5", "3.000" → "3" (as %g drops trailing zeros). */
function stripFraction(fixed: string): string {
  if (fixed.indexOf('.') < 0) return fixed;
  let end = fixed.length;
  while (fixed.charCodeAt(end - 1) === 0x30) end--;
  if (fixed.charCodeAt(end - 1) === 0x2e) end--;
  return fixed.slice(0, end);
}

/**
 * d.toExponential(16) computed exactly with round-half-even, for d = t / 2^25 with t an
 * integer (see formatDouble).
 */
function exactExponential(d: number): string {
  const negative = d < 0;
  const t = BigInt(Math.abs(d) * TWO_POW_25);
  // |d| = t * 5^25 / 10^25 exactly.
  let digits = (t * FIVE_POW_25).toString();
  let exponent = digits.length - 1 - 25;
  if (digits.length > SIGNIFICANT) {
    const head = digits.slice(0, SIGNIFICANT);
    const rest = digits.slice(SIGNIFICANT);
    const first = rest.charCodeAt(0);
    const restIsHalf = first === 0x35 && /^5(0*)$/.test(rest);
    const up = first > 0x35 || (first === 0x35 && !restIsHalf) ||
      (restIsHalf && (head.charCodeAt(SIGNIFICANT - 1) & 1) === 1);
    if (up) {
      const rounded = (BigInt(head) + 1n).toString();
      if (rounded.length > SIGNIFICANT) exponent++;
      digits = rounded.slice(0, SIGNIFICANT);
    } else {
      digits = head;
    }
  } else {
    digits = digits.padEnd(SIGNIFICANT, '0');
  }
  const sign = negative ? '-' : '';
  const e = exponent < 0 ? `-${-exponent}` : `+${exponent}`;
  return `${sign}${digits[0]}.${digits.slice(1)}e${e}`;
}

/**
 * Turns "-d.dddddddddddddddde+X" (17 significant digits) into %g's choice: exponent form when
 * X < -4 or X >= 17, else fixed; trailing zeros and a trailing point removed; exponent has at
 * least two digits.
 */
function gStyle(exp: string): string {
  const ePos = exp.indexOf('e');
  const x = Number(exp.slice(ePos + 1));
  const negative = exp.charCodeAt(0) === 0x2d;
  const mantissa = exp.slice(negative ? 1 : 0, ePos);
  const digits = mantissa[0]! + mantissa.slice(2); // drop the '.'
  const sign = negative ? '-' : '';
  if (x < -4 || x >= SIGNIFICANT) {
    const frac = stripZeros(digits.slice(1));
    const ax = Math.abs(x);
    return `${sign}${digits[0]}${frac ? `.${frac}` : ''}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`;
  }
  if (x < 0) return `${sign}0.${'0'.repeat(-x - 1)}${stripZeros(digits)}`;
  const intPart = digits.slice(0, x + 1);
  const frac = stripZeros(digits.slice(x + 1));
  return `${sign}${intPart}${frac ? `.${frac}` : ''}`;
}

function stripZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x30) end--;
  return s.slice(0, end);
}
