/**
 * Command: one request as a framework handler sees it — its arguments, how it arrived, and the
 * request as RESP.
 */

import type { ParsedRequest } from '../resp/request-parser.js';

/**
 * How a request arrived: a RESP multibulk (`'resp'`), an inline / telnet line (`'inline'`), or
 * Tile38's native `$<length> <payload>\r\n` form (`'tile38'`, see `ListenOptions.tile38`).
 */
export type CommandKind = 'resp' | 'inline' | 'tile38';

/** One client request. */
export class Command {
  private list: Buffer[] | undefined;
  /** The read the arguments lie in, and their start/end offsets from `base` (lazy commands). */
  private readonly data: Buffer | undefined;
  private readonly offs: readonly number[] | undefined;
  private readonly base: number;
  /** Where the request lies in `data` (lazy commands). */
  private readonly start: number;
  private readonly end: number;
  /** Number of arguments, the name included. */
  readonly argc: number;
  private encoded: Buffer | undefined;
  private lower: string | undefined;

  /** @param args the request's arguments, name first (the parser marks non-RESP ones with `kind`) */
  constructor(args: Buffer[]);
  /**
   * @internal a command whose arguments are `data[offs[base + 2i], offs[base + 2i + 1])` and whose
   * request is `data[start, end)`
   */
  constructor(args: undefined, data: Buffer, offs: readonly number[], base: number, argc: number, start: number, end: number);
  constructor(args: Buffer[] | undefined, data?: Buffer, offs?: readonly number[], base = 0, argc = 0, start = 0, end = 0) {
    this.list = args;
    this.data = data;
    this.offs = offs;
    this.base = base;
    this.argc = args ? args.length : argc;
    this.start = start;
    this.end = end;
  }

  /**
   * The arguments, name first, as the client sent them (binary-safe). They are views into the
   * bytes read from the socket (no copy): valid for as long as you like, but keeping one keeps
   * that whole read alive, so copy ({@link copyArg}) what you store for long. Made on first use:
   * {@link arg}, {@link str} and {@link name} read single arguments without making the array.
   */
  get args(): Buffer[] {
    if (this.list === undefined) {
      const list: Buffer[] = new Array(this.argc);
      for (let i = 0; i < this.argc; i++) list[i] = this.arg(i);
      this.list = list;
    }
    return this.list;
  }

  private range(i: number): number {
    if (!(i >= 0 && i < this.argc)) throw new RangeError(`argument ${i} of a command with ${this.argc}`);
    return this.base + 2 * i;
  }

  /** Argument `i` (0 = the name) as a view into the read, like `args[i]`. */
  arg(i: number): Buffer {
    const at = this.range(i);
    if (this.list !== undefined) return this.list[i]!;
    return this.data!.subarray(this.offs![at]!, this.offs![at + 1]!);
  }

  /** Argument `i` decoded as a string (default latin1: one character per byte, binary-safe), without a Buffer in between. */
  str(i: number, encoding: BufferEncoding = 'latin1'): string {
    if (this.list !== undefined) return this.arg(i).toString(encoding);
    const at = this.range(i);
    if (encoding === 'latin1' && latin1Slice !== undefined) return latin1Slice.call(this.data!, this.offs![at]!, this.offs![at + 1]!);
    return this.data!.toString(encoding, this.offs![at]!, this.offs![at + 1]!);
  }

  /** A copy of argument `i` that owns its bytes (for values kept after the command). */
  copyArg(i: number): Buffer {
    if (this.list !== undefined) return Buffer.from(this.arg(i));
    const at = this.range(i);
    const s = this.offs![at]!;
    const n = this.offs![at + 1]! - s;
    const copy = Buffer.allocUnsafe(n);
    const data = this.data!;
    if (n <= 64) for (let k = 0; k < n; k++) copy[k] = data[s + k]!; // cheaper than copy()'s checks for short values
    else data.copy(copy, 0, s, s + n);
    return copy;
  }

  /**
   * How the request arrived (a Tile38 native client expects `writeTile38` answers). Read from the
   * parser's mark on `args`, only when asked: the per-command path never looks.
   */
  get kind(): CommandKind {
    return this.list !== undefined ? (this.list as ParsedRequest).kind ?? 'resp' : 'resp';
  }

  /** The command name in lower case (`args[0]` as latin1), for switch statements. */
  get name(): string {
    if (this.lower === undefined) {
      if (this.argc === 0) this.lower = '';
      else if (this.list !== undefined) this.lower = lowerName(this.list[0]!, 0, this.list[0]!.length);
      else this.lower = lowerName(this.data!, this.offs![this.base]!, this.offs![this.base + 1]!);
    }
    return this.lower;
  }

  /**
   * The request as RESP (a Buffer of its own): the bytes as sent when the request arrived whole in
   * one read, otherwise re-encoded as a multibulk (also for inline and Tile38 requests).
   */
  get raw(): Buffer {
    if (this.encoded) return this.encoded;
    if (this.data !== undefined) return (this.encoded = Buffer.from(this.data.subarray(this.start, this.end))); // the bytes as sent
    const args = this.args;
    const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
    for (const a of args) parts.push(Buffer.from(`$${a.length}\r\n`, 'latin1'), a, CRLF);
    this.encoded = Buffer.concat(parts);
    return this.encoded;
  }
}

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * Node's own latin1 decoder of a byte range (what `buf.toString('latin1', s, e)` ends in, minus
 * the argument handling in between); undefined if a Node.js ever drops it, and then toString is used.
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (s: number, e: number) => string }).latin1Slice;

/**
 * Command names seen so far, by a number made of their lower-cased bytes (names of up to 7
 * ASCII bytes: 7 bits each fit a double exactly). Saves decoding and lower-casing the same
 * few names on every request; the table stops growing at 4096 names.
 */
const NAMES = new Map<number, string>();

function lowerName(b: Buffer, s: number, e: number): string {
  const n = e - s;
  if (n > 7) return b.toString('latin1', s, e).toLowerCase();
  let key = n; // the length keeps "a" and "a\0" apart
  for (let i = s; i < e; i++) {
    let c = b[i]!;
    if (c >= 0x80) return b.toString('latin1', s, e).toLowerCase();
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    key = key * 128 + c;
  }
  let name = NAMES.get(key);
  if (name === undefined) {
    name = b.toString('latin1', s, e).toLowerCase();
    if (NAMES.size < 4096) NAMES.set(key, name);
  }
  return name;
}
