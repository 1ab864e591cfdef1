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
  /**
   * The arguments, name first, as the client sent them (binary-safe). They are views into the
   * bytes read from the socket (no copy): valid for as long as you like, but keeping one keeps
   * that whole read alive, so copy (`Buffer.from(arg)`) what you store for long.
   */
  readonly args: Buffer[];
  private encoded: Buffer | undefined;

  /** @param args the request's arguments, name first (the parser marks non-RESP ones with `kind`) */
  constructor(args: Buffer[]) {
    this.args = args;
  }

  /**
   * How the request arrived (a Tile38 native client expects `writeTile38` answers). Read from the
   * parser's mark on `args`, only when asked: the per-command path never looks.
   */
  get kind(): CommandKind {
    return (this.args as ParsedRequest).kind ?? 'resp';
  }

  private lower: string | undefined;

  /** The command name in lower case (`args[0]` as latin1), for switch statements. */
  get name(): string {
    return (this.lower ??= this.args.length > 0 ? lowerName(this.args[0]) : '');
  }

  /** The request as a RESP multibulk message (also for requests that arrived inline or as Tile38). */
  get raw(): Buffer {
    if (this.encoded) return this.encoded;
    const parts: Buffer[] = [Buffer.from(`*${this.args.length}\r\n`, 'latin1')];
    for (const a of this.args) parts.push(Buffer.from(`$${a.length}\r\n`, 'latin1'), a, CRLF);
    this.encoded = Buffer.concat(parts);
    return this.encoded;
  }
}

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * Command names seen so far, by a number made of their lower-cased bytes (names of up to 7
 * ASCII bytes: 7 bits each fit a double exactly). Saves decoding and lower-casing the same
 * few names on every request; the table stops growing at 4096 names.
 */
const NAMES = new Map<number, string>();

function lowerName(b: Buffer): string {
  const n = b.length;
  if (n > 7) return b.toString('latin1').toLowerCase();
  let key = n; // the length keeps "a" and "a\0" apart
  for (let i = 0; i < n; i++) {
    let c = b[i]!;
    if (c >= 0x80) return b.toString('latin1').toLowerCase();
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    key = key * 128 + c;
  }
  let name = NAMES.get(key);
  if (name === undefined) {
    name = b.toString('latin1').toLowerCase();
    if (NAMES.size < 4096) NAMES.set(key, name);
  }
  return name;
}
