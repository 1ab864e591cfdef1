/**
 * Incremental RESP request parser (the JavaScript one; the WASM one lives in src/engine).
 *
 * Owns: turning the bytes a client sends into commands (`Buffer[]` of arguments), exactly as
 * Redis 7.0's networking.c does in processInputBuffer / processMultibulkBuffer /
 * processInlineBuffer, including its protocol error texts and its leniencies (the two bytes
 * after a bulk and the byte after a line's `\r` are skipped unchecked).
 * Must not touch: command semantics, sockets, replies. It never looks at what a command means.
 *
 * Chunking never changes the result: every case gives the same commands and the same error
 * whether the stream arrives whole, byte by byte or split anywhere. Where Redis's own outcome
 * depends on how much its read() returned (a line longer than 64 KiB), we pick the answer Redis
 * gives when bytes trickle in: the line is too big.
 *
 * Memory: complete arguments are views into the chunk passed to `execute` (no copy). Only what
 * straddles two chunks is copied: a partial line into a reusable line buffer (lines are short:
 * at most 64 KiB), a partial bulk into a buffer of the bulk's exact size, so large values are
 * copied once and never re-concatenated.
 *
 * Speed: a multibulk command that lies whole in one chunk is parsed by one tight loop
 * (`wholeCommand`); anything else (partial, inline, odd) goes through the state machine, which
 * the tests run against the same cases split at every byte.
 */

import { ProtocolError } from './errors.js';

/** Redis PROTO_INLINE_MAX_SIZE: longest inline request / count line before it is "too big". */
const INLINE_MAX = 64 * 1024;
/** INT_MAX: Redis stores the multibulk count in an int. */
const INT_MAX = 2147483647;
/** Redis's default proto-max-bulk-len (512 MiB). */
const DEFAULT_MAX_BULK_LEN = 512 * 1024 * 1024;
/** With AUTH pending Redis refuses larger counts / bulks (CVE-2021-32675 hardening). */
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;
/** A straddling bulk gets its exact size up front only up to this size; a peer must not make
 *  us allocate 512 MiB with a 12-byte header. Beyond it the buffer doubles as bytes arrive. */
const PREALLOC_MAX = 8 * 1024 * 1024;

const CR = 13;
const LF = 10;
const NUL = 0;

// Parser states: what the next bytes are expected to be.
/** Between commands: the next byte decides inline or multibulk. */
const S_START = 0;
/** Inside an inline request line (ends at `\n`). */
const S_INLINE = 1;
/** Inside the `*<count>` line. */
const S_COUNT = 2;
/** Inside a `$<len>` line. */
const S_BULK_LEN = 3;
/** Inside a bulk's payload plus its two trailing bytes. */
const S_BULK_BODY = 4;
/** Tile38 native request (option `tile38`): inside the `$<length> ` header. */
const S_T38_LEN = 5;
/** Tile38 native request: inside its payload plus the `\r\n` after it. */
const S_T38_BODY = 6;

const MSG_TOO_BIG_INLINE = 'ERR Protocol error: too big inline request';
const MSG_UNBALANCED = 'ERR Protocol error: unbalanced quotes in request';
const MSG_TOO_BIG_COUNT = 'ERR Protocol error: too big mbulk count string';
const MSG_INVALID_COUNT = 'ERR Protocol error: invalid multibulk length';
const MSG_UNAUTH_COUNT = 'ERR Protocol error: unauthenticated multibulk length';
const MSG_TOO_BIG_BULK_COUNT = 'ERR Protocol error: too big bulk count string';
const MSG_INVALID_BULK = 'ERR Protocol error: invalid bulk length';
const MSG_UNAUTH_BULK = 'ERR Protocol error: unauthenticated bulk length';
/** The error redcon / RedHub give a malformed Tile38 native request. */
const MSG_T38_INVALID = 'ERR Protocol error: invalid message';
/** Longest length field of a Tile38 native header (digits). */
const T38_MAX_DIGITS = 10;

/**
 * A parsed request: its arguments, name first. Requests that did not arrive as a RESP multibulk
 * carry `kind` (`'inline'` for a telnet line, `'tile38'` for Tile38's native form).
 */
export type ParsedRequest = Buffer[] & { kind?: 'inline' | 'tile38' };

/** Options of {@link RespRequestParser}. */
export interface RespRequestParserOptions {
  /** Largest bulk argument accepted, like Redis's proto-max-bulk-len. Default 512 MiB. */
  maxBulkLen?: number;
  /** Largest argument count accepted. Default and ceiling 2^31-1 (Redis's INT_MAX). */
  maxMultibulkLen?: number;
  /**
   * Apply Redis's limits for clients that still have to AUTH (count > 10 or bulk > 16384 is
   * a protocol error). Default false; can be changed later through the `authRequired` field.
   */
  authRequired?: boolean;
  /**
   * Accept Tile38's native request form, as redcon and RedHub detect it: a request whose first
   * byte is `$` is `$<length> <payload>\r\n`, the payload split on spaces (see
   * {@link splitTile38Payload}). Default false: Redis reads such a line as an inline request.
   */
  tile38?: boolean;
}

/**
 * Incremental request parser. Feed it whatever the socket delivers; it returns every command
 * completed by those bytes and keeps the incomplete tail for the next call.
 *
 * ```ts
 * const parser = new RespRequestParser();
 * socket.on('data', (chunk) => {
 *   for (const argv of parser.execute(chunk)) run(argv);
 * });
 * ```
 *
 * Returned argument Buffers may be views into the chunk passed to `execute`: do not modify a
 * chunk after feeding it. After a {@link ProtocolError} the parser stays failed (every call
 * throws the same error) until {@link RespRequestParser.reset}; Redis closes the connection.
 */
export class RespRequestParser {
  /** Apply the stricter limits Redis uses before a client authenticated (see options). */
  authRequired: boolean;
  /** Accept Tile38 native requests (see options). */
  tile38: boolean;

  private readonly maxBulkLen: number;
  private readonly maxMultibulkLen: number;

  private state = S_START;
  private failure: ProtocolError | null = null;

  /** Arguments still expected by the current multibulk command. */
  private remaining = 0;
  /** Arguments of the current multibulk command gathered so far. */
  private args: Buffer[] = [];
  /** Bytes of `args` (what {@link buffered} counts of them). */
  private argsBytes = 0;
  /** Scratch for the fast path: start and end of each argument of one whole command. */
  private readonly offsets: number[] = [];

  /** Partial line carried over from an earlier chunk (S_INLINE, S_COUNT, S_BULK_LEN). */
  private line: Buffer = Buffer.allocUnsafe(256);
  /** Bytes of the partial line; when `lineBlocked`, all bytes received since the line began. */
  private lineLen = 0;
  /** The line's `\r` was seen; the one byte after it (unchecked, like Redis) is still due. */
  private lineAwaitsByteAfterCR = false;
  /** A NUL came before the terminator: Redis's strchr() stops there, so the line never ends
   *  and only grows until it is too big. */
  private lineBlocked = false;

  /** Digits of a Tile38 header read so far. */
  private t38Digits = 0;
  /** Parts of a Tile38 payload that straddles chunks, and their total bytes. */
  private t38Parts: Buffer[] = [];
  private t38Got = 0;

  /** Payload length of the current bulk. */
  private bulkLen = 0;
  /** Payload buffer of a bulk that straddles chunks, null while none does. */
  private body: Buffer | null = null;
  /** Bytes of the straddling bulk received so far, counting the two trailing bytes. */
  private bodyGot = 0;

  /** @param opts Limits; defaults are Redis 7.0's defaults. */
  constructor(opts: RespRequestParserOptions = {}) {
    this.maxBulkLen = opts.maxBulkLen ?? DEFAULT_MAX_BULK_LEN;
    this.maxMultibulkLen = Math.min(opts.maxMultibulkLen ?? INT_MAX, INT_MAX);
    this.authRequired = opts.authRequired ?? false;
    this.tile38 = opts.tile38 ?? false;
  }

  /**
   * Bytes of the request not yet complete that this parser holds (arguments gathered so far,
   * a partial line or bulk): what a read-buffer cap is measured against. Headers of completed
   * arguments are not counted.
   */
  get buffered(): number {
    return this.lineLen + this.bodyGot + this.t38Got + this.argsBytes;
  }

  /**
   * Feed bytes; returns every command they complete (arguments as Buffers). An incomplete
   * tail is kept for the next call.
   *
   * @throws ProtocolError with Redis's error text when the bytes cannot be a request; the
   *   commands completed before the bad bytes in this call are in `err.commands`.
   */
  execute(chunk: Uint8Array): Buffer[][] {
    if (this.failure !== null) throw this.failure;
    const data = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = data.length;
    const out: Buffer[][] = [];
    let pos = 0;

    while (pos < end) {
      switch (this.state) {
        case S_START:
          if (data[pos] === 0x2a /* '*' */) {
            const next = this.wholeCommand(data, pos, end, out);
            if (next >= 0) {
              pos = next;
              break;
            }
            this.state = S_COUNT;
          } else if (data[pos] === 0x24 /* '$' */ && this.tile38) {
            this.state = S_T38_LEN;
            this.t38Digits = 0;
            this.bulkLen = 0;
            pos++;
          } else {
            this.state = S_INLINE;
          }
          break;

        case S_T38_LEN:
          pos = this.tile38Header(data, pos, end, out);
          break;

        case S_T38_BODY:
          pos = this.tile38Body(data, pos, end, out);
          break;

        case S_INLINE: {
          const nl = this.findTerminator(data, pos, end, LF, MSG_TOO_BIG_INLINE, out);
          if (nl < 0) return out;
          if (this.lineLen > 0) {
            this.appendLine(data, pos, nl);
            this.inline(this.line, 0, this.lineLen, out);
          } else {
            this.inline(data, pos, nl, out);
          }
          this.lineLen = 0;
          pos = nl + 1;
          this.state = S_START;
          break;
        }

        case S_COUNT:
        case S_BULK_LEN: {
          let lineBuf: Buffer;
          let s: number;
          let e: number;
          if (this.lineAwaitsByteAfterCR) {
            // The line ended in the previous chunk; this byte stands for its '\n'.
            this.lineAwaitsByteAfterCR = false;
            pos += 1;
            lineBuf = this.line;
            s = 0;
            e = this.lineLen;
          } else {
            const msg = this.state === S_COUNT ? MSG_TOO_BIG_COUNT : MSG_TOO_BIG_BULK_COUNT;
            const cr = this.findTerminator(data, pos, end, CR, msg, out);
            if (cr < 0) return out;
            if (cr + 1 >= end) {
              // Redis waits until one more byte follows the '\r'.
              this.appendLine(data, pos, cr);
              this.lineAwaitsByteAfterCR = true;
              return out;
            }
            if (this.lineLen > 0) {
              this.appendLine(data, pos, cr);
              lineBuf = this.line;
              s = 0;
              e = this.lineLen;
            } else {
              lineBuf = data;
              s = pos;
              e = cr;
            }
            pos = cr + 2;
          }
          this.lineLen = 0;
          if (this.state === S_COUNT) this.countLine(lineBuf, s, e, out);
          else this.bulkLenLine(lineBuf, s, e, out);
          break;
        }

        case S_BULK_BODY: {
          const need = this.bulkLen + 2;
          if (this.body === null && end - pos >= need) {
            // Fast path: the whole bulk is in this chunk; hand out a view.
            this.pushArg(data.subarray(pos, pos + this.bulkLen), out);
            pos += need;
          } else {
            pos = this.collectBody(data, pos, end, out);
          }
          break;
        }
      }
    }
    return out;
  }

  /** Forget all buffered bytes and any failure; the next byte starts a new command. */
  reset(): void {
    this.state = S_START;
    this.failure = null;
    this.remaining = 0;
    this.args = [];
    this.argsBytes = 0;
    if (this.line.length > 4096) this.line = Buffer.allocUnsafe(256);
    this.lineLen = 0;
    this.lineAwaitsByteAfterCR = false;
    this.lineBlocked = false;
    this.body = null;
    this.bodyGot = 0;
    this.bulkLen = 0;
    this.t38Digits = 0;
    this.t38Parts = [];
    this.t38Got = 0;
  }

  /** Reads a Tile38 header's `<length> ` (the `$` is consumed); returns the new position. */
  private tile38Header(data: Buffer, pos: number, end: number, out: Buffer[][]): number {
    while (pos < end) {
      const c = data[pos++]!;
      if (c === 0x20 /* ' ' */ && this.t38Digits > 0) {
        if (this.bulkLen > this.maxBulkLen) this.fail(MSG_T38_INVALID, out);
        this.state = S_T38_BODY;
        return pos;
      }
      if (c < 0x30 || c > 0x39 || this.t38Digits === T38_MAX_DIGITS) this.fail(MSG_T38_INVALID, out);
      this.bulkLen = this.bulkLen * 10 + (c - 0x30);
      this.t38Digits++;
    }
    return pos;
  }

  /** Reads a Tile38 payload and the `\r\n` after it; emits the request. */
  private tile38Body(data: Buffer, pos: number, end: number, out: Buffer[][]): number {
    const need = this.bulkLen + 2;
    let whole: Buffer;
    if (this.t38Got === 0 && end - pos >= need) {
      whole = data.subarray(pos, pos + need);
      pos += need;
    } else {
      const take = Math.min(need - this.t38Got, end - pos);
      // copied: the chunk may be reused by the caller once execute returns
      this.t38Parts.push(Buffer.from(data.subarray(pos, pos + take)));
      this.t38Got += take;
      pos += take;
      if (this.t38Got < need) return pos;
      whole = Buffer.concat(this.t38Parts, need);
      this.t38Parts = [];
      this.t38Got = 0;
    }
    if (whole[need - 2] !== CR || whole[need - 1] !== LF) this.fail(MSG_T38_INVALID, out);
    const argv = splitTile38Payload(whole.subarray(0, need - 2)) as ParsedRequest;
    argv.kind = 'tile38';
    if (argv.length > 0) out.push(argv);
    this.state = S_START;
    return pos;
  }

  /**
   * Fast path for the common case: a well-formed multibulk command that lies entirely in
   * `data` from `pos` (see {@link scanWholeCommand}); its arguments become views into `data`.
   * Returns the position after it, or -1 (nothing consumed, nothing changed) for anything
   * unusual or incomplete, which the state machine then handles byte-exactly.
   */
  private wholeCommand(data: Buffer, pos: number, end: number, out: Buffer[][]): number {
    const auth = this.authRequired;
    const bulkMax = auth ? Math.min(UNAUTH_MAX_BULK, this.maxBulkLen) : this.maxBulkLen;
    const countMax = auth ? Math.min(UNAUTH_MAX_MULTIBULK, this.maxMultibulkLen) : this.maxMultibulkLen;
    const offs = this.offsets;
    offs.length = 0;
    const next = scanWholeCommand(data, pos, end, bulkMax, countMax, offs);
    if (next < 0) return -1;
    const args: Buffer[] = new Array(offs.length >> 1);
    for (let i = 0, j = 0; j < offs.length; i++, j += 2) args[i] = data.subarray(offs[j]!, offs[j + 1]!);
    out.push(args);
    return next;
  }

  /**
   * True when no request is under way: the next byte starts a new command and nothing is
   * buffered. Then a caller may take whole commands off the front of a read itself
   * ({@link scanWholeCommand}) and hand the parser only the rest.
   */
  get idle(): boolean {
    return this.state === S_START && this.failure === null;
  }

  /** The limits a caller scanning whole commands itself must apply: [largest bulk, largest count]. */
  get limits(): [number, number] {
    if (!this.authRequired) return [this.maxBulkLen, this.maxMultibulkLen];
    return [Math.min(UNAUTH_MAX_BULK, this.maxBulkLen), Math.min(UNAUTH_MAX_MULTIBULK, this.maxMultibulkLen)];
  }

  /**
   * Finds the byte `term` that ends the current line, which started `lineLen` bytes before
   * `data[pos]`. Returns its index in `data`, or -1 after keeping the bytes for later.
   *
   * Redis searches with strchr() over everything buffered and, when the terminator is absent,
   * fails once more than 64 KiB are buffered. Whether a longer line's terminator is already
   * buffered depends on read sizes, so the terminator counts only within the first
   * INLINE_MAX + 1 bytes: that is what Redis answers when the bytes come one by one.
   */
  private findTerminator(
    data: Buffer,
    pos: number,
    end: number,
    term: number,
    tooBig: string,
    out: Buffer[][],
  ): number {
    const total = this.lineLen + (end - pos);
    if (!this.lineBlocked) {
      const limit = Math.min(end, pos + (INLINE_MAX + 1 - this.lineLen));
      for (let i = pos; i < limit; i++) {
        const c = data[i]!;
        if (c === term) return i;
        if (c === NUL) {
          this.lineBlocked = true;
          break;
        }
      }
    }
    if (total > INLINE_MAX) this.fail(tooBig, out);
    if (this.lineBlocked) this.lineLen = total;
    else this.appendLine(data, pos, end);
    return -1;
  }

  /** Appends data[from, to) to the carried-over line. */
  private appendLine(data: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n === 0) return;
    const need = this.lineLen + n;
    if (need > this.line.length) {
      let size = this.line.length * 2;
      while (size < need) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.line.copy(grown, 0, 0, this.lineLen);
      this.line = grown;
    }
    data.copy(this.line, this.lineLen, from, to);
    this.lineLen = need;
  }

  /** An inline request line buf[s, e) (without its '\n'). */
  private inline(buf: Buffer, s: number, e: number, out: Buffer[][]): void {
    if (e > s && buf[e - 1] === CR) e--;
    const argv = splitInlineArgs(buf, s, e) as ParsedRequest | null;
    if (argv === null) this.fail(MSG_UNBALANCED, out);
    argv.kind = 'inline';
    if (argv.length > 0) out.push(argv);
  }

  /** The `*<count>` line buf[s, e), '*' included. */
  private countLine(buf: Buffer, s: number, e: number, out: Buffer[][]): void {
    const n = parseRedisInt(buf, s + 1, e);
    if (Number.isNaN(n) || n > INT_MAX || n > this.maxMultibulkLen) {
      this.fail(MSG_INVALID_COUNT, out);
    }
    if (this.authRequired && n > UNAUTH_MAX_MULTIBULK) this.fail(MSG_UNAUTH_COUNT, out);
    if (n <= 0) {
      // Redis skips `*0` and negative counts as an empty command.
      this.state = S_START;
      return;
    }
    this.remaining = n;
    this.state = S_BULK_LEN;
  }

  /** The `$<len>` line buf[s, e), '$' included. */
  private bulkLenLine(buf: Buffer, s: number, e: number, out: Buffer[][]): void {
    // An empty line means Redis found '\r' where it expected '$'.
    const first = e > s ? buf[s]! : CR;
    if (first !== 0x24 /* '$' */) {
      // Redis's error formatter turns '\r' and '\n' into spaces; other bytes go out raw.
      const shown = first === CR || first === LF ? ' ' : String.fromCharCode(first);
      this.fail(`ERR Protocol error: expected '$', got '${shown}'`, out);
    }
    const n = parseRedisInt(buf, s + 1, e);
    if (Number.isNaN(n) || n < 0 || n > this.maxBulkLen) this.fail(MSG_INVALID_BULK, out);
    if (this.authRequired && n > UNAUTH_MAX_BULK) this.fail(MSG_UNAUTH_BULK, out);
    this.bulkLen = n;
    this.state = S_BULK_BODY;
  }

  /** Copies bulk bytes that straddle chunks; returns the new read position. */
  private collectBody(data: Buffer, pos: number, end: number, out: Buffer[][]): number {
    const len = this.bulkLen;
    const need = len + 2;
    if (this.body === null) {
      this.body = Buffer.allocUnsafe(Math.min(len, PREALLOC_MAX));
      this.bodyGot = 0;
    }
    const take = Math.min(need - this.bodyGot, end - pos);
    // Payload bytes go to the body; the two trailing bytes are dropped unchecked, as in Redis.
    const payload = Math.min(take, len - this.bodyGot);
    if (payload > 0) {
      const want = this.bodyGot + payload;
      if (want > this.body.length) {
        let size = this.body.length * 2;
        while (size < want) size *= 2;
        const grown = Buffer.allocUnsafe(Math.min(size, len));
        this.body.copy(grown, 0, 0, this.bodyGot);
        this.body = grown;
      }
      data.copy(this.body, this.bodyGot, pos, pos + payload);
    }
    this.bodyGot += take;
    if (this.bodyGot === need) {
      const arg = this.body;
      this.body = null;
      this.bodyGot = 0;
      this.pushArg(arg, out);
    }
    return pos + take;
  }

  /** Adds a complete argument; emits the command when it was the last one. */
  private pushArg(arg: Buffer, out: Buffer[][]): void {
    this.args.push(arg);
    this.argsBytes += arg.length;
    if (--this.remaining === 0) {
      out.push(this.args);
      this.args = [];
      this.argsBytes = 0;
      this.state = S_START;
    } else {
      this.state = S_BULK_LEN;
    }
  }

  /** Records the failure (the parser stays failed) and throws it. */
  private fail(message: string, out: Buffer[][]): never {
    this.failure = new ProtocolError(message, out);
    this.args = [];
    this.argsBytes = 0;
    this.body = null;
    throw this.failure;
  }
}

/**
 * Redis's string2ll() on buf[s, e): optional '-', then digits with no leading zero (a lone
 * "0" is fine), no '+', no spaces, no "-0", at most 20 characters, within a signed 64-bit
 * integer. Returns NaN when Redis would reject the text. Values beyond 2^53 come back
 * approximate; callers only compare them against limits far below that.
 */
function parseRedisInt(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 0 || len >= 21) return NaN;
  if (len === 1 && buf[s] === 0x30) return 0;
  let p = s;
  let negative = false;
  if (buf[p] === 0x2d /* '-' */) {
    negative = true;
    p++;
    if (p === e) return NaN;
  }
  const first = buf[p]!;
  if (first < 0x31 || first > 0x39) return NaN;
  const digits = e - p;
  let v = 0;
  for (let i = p; i < e; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) return NaN;
    v = v * 10 + (c - 0x30);
  }
  if (digits > 19) return NaN;
  if (digits === 19) {
    // Exact comparison against LLONG_MAX / -LLONG_MIN, digit by digit.
    const limit = negative ? '9223372036854775808' : '9223372036854775807';
    for (let i = 0; i < 19; i++) {
      const d = buf[p + i]!;
      const l = limit.charCodeAt(i);
      if (d !== l) {
        if (d > l) return NaN;
        break;
      }
    }
  }
  return negative ? -v : v;
}

/** C isspace() in the C locale. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

/**
 * Redis's sdssplitargs() over buf[s, e): arguments separated by whitespace; "double quotes"
 * with \n \r \t \b \a \xHH and \<any> escapes; 'single quotes' with only \' ; quotes may start
 * mid-argument (a"b c" is one argument) but a closing quote must be followed by whitespace or
 * the end. Returns null on unbalanced quotes.
 *
 * Arguments are views into one fresh buffer per line (an argument is never longer than the
 * line), so the line buffer itself can be reused.
 */
function splitInlineArgs(buf: Buffer, s: number, e: number): Buffer[] | null {
  const argv: Buffer[] = [];
  // Reads past the end see NUL, as C sees the string terminator.
  const at = (i: number): number => (i < e ? buf[i]! : NUL);
  let scratch: Buffer | null = null;
  let w = 0;
  let p = s;
  for (;;) {
    while (p < e && isSpace(buf[p]!)) p++;
    if (p >= e) return argv;
    if (scratch === null) scratch = Buffer.allocUnsafe(e - p);
    const start = w;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === 0x5c /* \ */ && at(p + 1) === 0x78 /* x */ && isHex(at(p + 2)) && isHex(at(p + 3))) {
          scratch[w++] = hexValue(at(p + 2)) * 16 + hexValue(at(p + 3));
          p += 3;
        } else if (c === 0x5c && at(p + 1) !== NUL) {
          p++;
          const esc = at(p);
          scratch[w++] =
            esc === 0x6e ? LF // \n
            : esc === 0x72 ? CR // \r
            : esc === 0x74 ? 0x09 // \t
            : esc === 0x62 ? 0x08 // \b
            : esc === 0x61 ? 0x07 // \a
            : esc;
        } else if (c === 0x22 /* " */) {
          const next = at(p + 1);
          if (next !== NUL && !isSpace(next)) return null;
          done = true;
        } else if (c === NUL) {
          return null;
        } else {
          scratch[w++] = c;
        }
      } else if (inSingle) {
        if (c === 0x5c && at(p + 1) === 0x27 /* ' */) {
          p++;
          scratch[w++] = 0x27;
        } else if (c === 0x27) {
          const next = at(p + 1);
          if (next !== NUL && !isSpace(next)) return null;
          done = true;
        } else if (c === NUL) {
          return null;
        } else {
          scratch[w++] = c;
        }
      } else if (c === 0x20 || c === LF || c === CR || c === 0x09 || c === NUL) {
        // Only these end an unquoted argument; \v and \f are part of it.
        done = true;
      } else if (c === 0x22) {
        inDouble = true;
      } else if (c === 0x27) {
        inSingle = true;
      } else {
        scratch[w++] = c;
      }
      if (at(p) !== NUL) p++;
    }
    argv.push(scratch.subarray(start, w));
  }
}

/**
 * Splits a Tile38 native payload into arguments, the way redcon and RedHub read it: words
 * separated by spaces (runs of spaces give no empty words); a word starting with `{` takes the
 * rest of the payload (a JSON object, which may contain spaces); and when the request so far is
 * `SET ... STRING` and the rest of the payload is enclosed in double quotes, the rest without
 * its quotes is the value. No escapes. Arguments are views into `payload`.
 */
export function splitTile38Payload(payload: Buffer): Buffer[] {
  const argv: Buffer[] = [];
  let p = 0;
  const e = payload.length;
  while (p < e) {
    if (payload[p] === 0x7b /* { */) {
      argv.push(payload.subarray(p, e));
      break;
    }
    if (
      payload[p] === 0x22 /* " */ && e - p >= 2 && payload[e - 1] === 0x22 && argv.length > 0 &&
      argv[0]!.toString('latin1').toLowerCase() === 'set' &&
      argv[argv.length - 1]!.toString('latin1').toLowerCase() === 'string'
    ) {
      argv.push(payload.subarray(p + 1, e - 1));
      break;
    }
    let q = p;
    while (q < e && payload[q] !== 0x20) q++;
    if (q > p) argv.push(payload.subarray(p, q));
    p = q + 1;
  }
  return argv;
}

/**
 * Scan one well-formed multibulk command lying entirely in `data` from `pos` (which holds the
 * `*`): appends the start and end offset of each argument to `offsets` and returns the position
 * after the command, or -1 — nothing consumed, `offsets` possibly grown (truncate it) — for
 * anything unusual (a count or length that is zero-padded, negative, too long or over the
 * limits, a missing `$`) or incomplete: those are the state machine's, which answers them
 * byte-exactly. Like Redis, the byte after each `\r` and the two bytes after a bulk are not
 * checked. Arguments are not copied: callers make views (or strings) from the offsets.
 */
export function scanWholeCommand(
  data: Uint8Array, pos: number, end: number, bulkMax: number, countMax: number, offsets: number[],
): number {
  let p = pos + 1;
  let c = p < end ? data[p]! : 0;
  if (c < 0x31 || c > 0x39) return -1; // "0", negative or not a number
  let count = c - 0x30;
  const countEnd = Math.min(end, p + 10);
  while (++p < countEnd && (c = data[p]!) >= 0x30 && c <= 0x39) count = count * 10 + (c - 0x30);
  if (p + 1 >= end || data[p] !== CR || count > countMax) return -1;
  p += 2; // the byte after '\r' is not checked, as in Redis
  for (let i = 0; i < count; i++) {
    if (p + 1 >= end || data[p] !== 0x24 /* '$' */) return -1;
    c = data[++p]!;
    let len: number;
    if (c === 0x30) {
      len = 0;
      p++;
    } else if (c >= 0x31 && c <= 0x39) {
      len = c - 0x30;
      const lenEnd = Math.min(end, p + 10);
      while (++p < lenEnd && (c = data[p]!) >= 0x30 && c <= 0x39) len = len * 10 + (c - 0x30);
    } else {
      return -1;
    }
    if (p + 1 >= end || data[p] !== CR || len > bulkMax) return -1;
    p += 2;
    if (end - p < len + 2) return -1;
    offsets.push(p, p + len);
    p += len + 2; // the two bytes after a bulk are not checked, as in Redis
  }
  return p;
}
