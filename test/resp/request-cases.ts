/**
 * The request-parser case table and a suite that runs it against any parser with the
 * RespRequestParser shape (the JS parser here; the WASM parser plugs in with one line:
 * `runParserSuite('wasm', (opts) => new WasmRequestParser(opts))`).
 *
 * Every case is fed whole, byte by byte, split in two at every position (short inputs) and in
 * seeded random chunkings; each feeding must give the same commands and the same error.
 * Expected values were checked against redis-server 7.0.15 over raw sockets, except where a
 * case says otherwise.
 */

import { describe, expect, it } from 'vitest';
import { Prng, randomChunks } from './prng.js';

/** What the suite needs from a parser. */
export interface RequestParserLike {
  execute(chunk: Uint8Array): Buffer[][];
  reset(): void;
}

/** Constructor options a case may ask for. */
export interface ParserCaseOptions {
  maxBulkLen?: number;
  maxMultibulkLen?: number;
  authRequired?: boolean;
}

/** One row of the table. Strings are bytes written as latin1 (one char = one byte). */
export interface ParserCase {
  name: string;
  input: string | Buffer;
  /** Commands completed before the end of input or before the error, args as latin1. */
  commands: string[][];
  /** ProtocolError message expected after those commands; absent = no error. */
  error?: string;
  options?: ParserCaseOptions;
}

const ERR = 'ERR Protocol error: ';
const INVALID_MBULK = `${ERR}invalid multibulk length`;
const INVALID_BULK = `${ERR}invalid bulk length`;
const TOO_BIG_INLINE = `${ERR}too big inline request`;
const TOO_BIG_MBULK = `${ERR}too big mbulk count string`;
const TOO_BIG_BULK_COUNT = `${ERR}too big bulk count string`;
const UNBALANCED = `${ERR}unbalanced quotes in request`;

/** RESP multibulk encoding of one command (args as latin1). */
export function multibulk(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
}

const PING = multibulk('PING');

function bytes(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}

function fill(n: number, ch: string): Buffer {
  return Buffer.alloc(n, ch, 'latin1');
}

const MEGABYTE_VALUE = 'v'.repeat(1024 * 1024 - 3) + '\r\n\0';
const THOUSAND_ARGS = Array.from({ length: 1000 }, (_, i) => `arg${i}`);

/** The case table. */
export const requestCases: ParserCase[] = [
  // ── multibulk ────────────────────────────────────────────────────────────────────────
  { name: 'one command', input: PING, commands: [['PING']] },
  { name: 'arguments', input: multibulk('SET', 'key', 'value'), commands: [['SET', 'key', 'value']] },
  {
    name: 'pipeline',
    input: multibulk('SET', 'a', '1') + multibulk('GET', 'a') + PING,
    commands: [['SET', 'a', '1'], ['GET', 'a'], ['PING']],
  },
  { name: 'empty bulk', input: '*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', commands: [['ECHO', '']] },
  {
    name: 'binary bulk with CR, LF and NUL',
    input: '*2\r\n$4\r\nECHO\r\n$5\r\na\r\n\0b\r\n',
    commands: [['ECHO', 'a\r\n\0b']],
  },
  { name: 'bytes >= 0x80 in a bulk', input: multibulk('ECHO', '\xff\xe9\x80'), commands: [['ECHO', '\xff\xe9\x80']] },
  { name: '*0 is skipped', input: `*0\r\n${PING}`, commands: [['PING']] },
  { name: '*-1 is skipped', input: `*-1\r\n${PING}`, commands: [['PING']] },
  { name: 'negative counts are skipped', input: `*-5\r\n*0\r\n*-10\r\nPING\r\n`, commands: [['PING']] },
  { name: '*LLONG_MIN is skipped', input: `*-9223372036854775808\r\n${PING}`, commands: [['PING']] },
  { name: 'count below LLONG_MIN', input: `*-9223372036854775809\r\n${PING}`, commands: [], error: INVALID_MBULK },
  { name: 'count INT_MAX waits for arguments', input: '*2147483647\r\n', commands: [] },
  { name: 'count INT_MAX+1', input: '*2147483648\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count 3000000000 (Redis test suite)', input: '*3000000000\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count 20 digits', input: '*12345678901234567890\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count 21 digits', input: '*123456789012345678901\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count not a number', input: `${PING}*abc\r\n`, commands: [['PING']], error: INVALID_MBULK },
  { name: 'count empty', input: '*\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count with +', input: `*+1\r\n$4\r\nPING\r\n`, commands: [], error: INVALID_MBULK },
  { name: 'count with leading space', input: '* 1\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count with trailing space', input: '*1 \r\n', commands: [], error: INVALID_MBULK },
  { name: 'count with leading zero', input: '*01\r\n$4\r\nPING\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count -0', input: '*-0\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count just -', input: '*-\r\n', commands: [], error: INVALID_MBULK },
  { name: 'count followed by trailing junk', input: '*11x\r\n', commands: [], error: INVALID_MBULK },
  { name: 'bulk length -1', input: '*1\r\n$-1\r\n', commands: [], error: INVALID_BULK },
  {
    name: 'bulk length -10 (Redis test suite)',
    input: '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n',
    commands: [],
    error: INVALID_BULK,
  },
  { name: 'bulk length -0', input: '*1\r\n$-0\r\n', commands: [], error: INVALID_BULK },
  { name: 'bulk length with +', input: '*1\r\n$+4\r\nPING\r\n', commands: [], error: INVALID_BULK },
  { name: 'bulk length with space', input: '*1\r\n$ 4\r\nPING\r\n', commands: [], error: INVALID_BULK },
  { name: 'bulk length with trailing space', input: '*1\r\n$4 \r\nPING\r\n', commands: [], error: INVALID_BULK },
  { name: 'bulk length with leading zero', input: '*1\r\n$04\r\nPING\r\n', commands: [], error: INVALID_BULK },
  { name: 'bulk length empty', input: '*1\r\n$\r\n', commands: [], error: INVALID_BULK },
  {
    name: 'bulk length not a number (Redis test suite)',
    input: '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n',
    commands: [],
    error: INVALID_BULK,
  },
  { name: 'bulk length 512 MiB waits', input: '*1\r\n$536870912\r\n', commands: [] },
  { name: 'bulk length 512 MiB + 1', input: '*1\r\n$536870913\r\n', commands: [], error: INVALID_BULK },
  {
    name: 'bulk length 2000000000 (Redis test suite)',
    input: '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n',
    commands: [],
    error: INVALID_BULK,
  },
  {
    name: "expected '$' (Redis test suite)",
    input: '*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n',
    commands: [],
    error: `${ERR}expected '$', got 'f'`,
  },
  { name: "expected '$', got ':'", input: `${PING}*1\r\n:4\r\n`, commands: [['PING']], error: `${ERR}expected '$', got ':'` },
  { name: "expected '$', got CR (shown as space)", input: '*1\r\n\r\n', commands: [], error: `${ERR}expected '$', got ' '` },
  { name: "expected '$', got LF (shown as space)", input: '*1\r\n\n\r\n', commands: [], error: `${ERR}expected '$', got ' '` },
  { name: "expected '$', got a raw high byte", input: '*1\r\n\xff\r\n', commands: [], error: `${ERR}expected '$', got '\xff'` },
  { name: "expected '$', got a control byte", input: '*1\r\n\x01\r\n', commands: [], error: `${ERR}expected '$', got '\x01'` },
  { name: "expected '$' is reported only once the line is complete", input: '*1\r\nfoo', commands: [] },
  { name: 'the two bytes after a bulk are not checked', input: '*1\r\n$4\r\nPINGxx', commands: [['PING']] },
  {
    name: 'unchecked trailer, then an inline command',
    input: '*1\r\n$4\r\nPINGxxPING\r\n',
    commands: [['PING'], ['PING']],
  },
  { name: 'the byte after a count line CR is not checked', input: '*1\rX$4\r\nPING\r\n', commands: [['PING']] },
  { name: 'the byte after a bulk length CR is not checked', input: '*1\r\n$4\rXPING\r\n', commands: [['PING']] },
  { name: 'incomplete: trailer missing', input: '*1\r\n$4\r\nPING\r', commands: [] },
  { name: 'incomplete: trailer missing entirely', input: '*1\r\n$4\r\nPING', commands: [] },
  { name: 'incomplete: argument missing', input: '*2\r\n$4\r\nECHO\r\n', commands: [] },
  { name: 'incomplete: count line CR without next byte', input: '*1\r', commands: [] },
  { name: 'incomplete: bulk length CR without next byte', input: '*1\r\n$4\r', commands: [] },
  { name: 'incomplete: lone *', input: `${PING}*`, commands: [['PING']] },
  { name: 'NUL in the count line blocks it (strchr stops)', input: '*1\0\r\n$4\r\nPING\r\n', commands: [] },
  { name: 'NUL in a bulk length line blocks it', input: '*1\r\n$4\0\r\nPING\r\n', commands: [] },
  {
    name: 'blocked count line grows into too big',
    input: bytes(PING, '*1\0', fill(70000, 'a'), '\r\n'),
    commands: [['PING']],
    error: TOO_BIG_MBULK,
  },
  {
    name: 'blocked bulk length line grows into too big',
    input: bytes(PING, '*1\r\n$4\0', fill(70000, 'a'), '\r\n'),
    commands: [['PING']],
    error: TOO_BIG_BULK_COUNT,
  },
  {
    name: 'count line of 65536 bytes without CR waits',
    input: bytes('*', fill(65535, '1')),
    commands: [],
  },
  {
    name: 'count line of 65537 bytes without CR',
    input: bytes('*', fill(65536, '1')),
    commands: [],
    error: TOO_BIG_MBULK,
  },
  {
    // Redis says "invalid multibulk length" if one read() brought the whole line, and "too big"
    // if it came in pieces; the parser always answers the latter.
    name: 'count line with CR past 64 KiB (read-size dependent in Redis)',
    input: bytes('*', fill(70000, '1'), '\r\n'),
    commands: [],
    error: TOO_BIG_MBULK,
  },
  {
    name: 'count line whose CR is byte 65537 is still fine',
    input: bytes('*', fill(65535, '1'), '\r\n'),
    commands: [],
    error: INVALID_MBULK,
  },
  {
    name: 'bulk length line of 65537 bytes without CR',
    input: bytes('*1\r\n$', fill(65536, '1')),
    commands: [],
    error: TOO_BIG_BULK_COUNT,
  },
  {
    name: 'too big bulk count string wins over a missing $',
    input: bytes('*1\r\nx', fill(65536, '1')),
    commands: [],
    error: TOO_BIG_BULK_COUNT,
  },
  {
    name: 'one-megabyte argument',
    input: bytes(multibulk('SET', 'k', MEGABYTE_VALUE), PING),
    commands: [['SET', 'k', MEGABYTE_VALUE], ['PING']],
  },
  {
    name: 'a thousand arguments',
    input: multibulk('RPUSH', ...THOUSAND_ARGS),
    commands: [['RPUSH', ...THOUSAND_ARGS]],
  },
  {
    name: 'maxBulkLen option',
    input: multibulk('ECHO', '0123456789') + '*1\r\n$11\r\n',
    commands: [['ECHO', '0123456789']],
    error: INVALID_BULK,
    options: { maxBulkLen: 10 },
  },
  {
    name: 'maxMultibulkLen option',
    input: multibulk('A', 'B') + '*3\r\n',
    commands: [['A', 'B']],
    error: INVALID_MBULK,
    options: { maxMultibulkLen: 2 },
  },
  {
    name: 'unauthenticated: 10 arguments are fine',
    input: '*10\r\n',
    commands: [],
    options: { authRequired: true },
  },
  {
    name: 'unauthenticated: 11 arguments',
    input: '*11\r\n',
    commands: [],
    error: `${ERR}unauthenticated multibulk length`,
    options: { authRequired: true },
  },
  {
    name: 'unauthenticated: negative count is still skipped',
    input: `*-20\r\n${PING}`,
    commands: [['PING']],
    options: { authRequired: true },
  },
  {
    name: 'unauthenticated: invalid count is reported first',
    input: '*11x\r\n',
    commands: [],
    error: INVALID_MBULK,
    options: { authRequired: true },
  },
  {
    name: 'unauthenticated: bulk of 16384 is fine',
    input: '*1\r\n$16384\r\n',
    commands: [],
    options: { authRequired: true },
  },
  {
    name: 'unauthenticated: bulk of 16385',
    input: '*1\r\n$16385\r\n',
    commands: [],
    error: `${ERR}unauthenticated bulk length`,
    options: { authRequired: true },
  },

  // ── inline ───────────────────────────────────────────────────────────────────────────
  { name: 'inline CRLF', input: 'PING\r\n', commands: [['PING']] },
  { name: 'inline LF', input: 'PING\n', commands: [['PING']] },
  { name: 'inline without newline waits', input: 'PING', commands: [] },
  { name: 'inline with CR only waits', input: 'PING\r', commands: [] },
  { name: 'inline arguments', input: 'SET a b\r\nGET a\n', commands: [['SET', 'a', 'b'], ['GET', 'a']] },
  { name: 'inline tab separated', input: 'GET\tkey\r\n', commands: [['GET', 'key']] },
  { name: 'inline many spaces', input: '  SET   a    b  \r\n', commands: [['SET', 'a', 'b']] },
  { name: 'empty lines are skipped', input: '\r\n\r\n\nPING\r\n', commands: [['PING']] },
  { name: 'blank line is skipped', input: '   \r\nPING\n', commands: [['PING']] },
  { name: 'leading CRs are blanks', input: '\r\rPING\r\n', commands: [['PING']] },
  { name: 'only one trailing CR is stripped, the next ends the token', input: 'PING\r\r\n', commands: [['PING']] },
  { name: 'CR inside the line separates', input: 'a\rb\n', commands: [['a', 'b']] },
  { name: '$ starts an inline command', input: '$4\r\n', commands: [['$4']] },
  { name: 'mixed inline and multibulk', input: `${PING}PING\r\n${PING}`, commands: [['PING'], ['PING'], ['PING']] },
  {
    name: 'quotes and escapes',
    input: `RPUSH l "a b" 'c d' "\\x41\\x4g\\n\\q" 'it\\'s\\n' "" e"f g" h\x0bi \x0b j\r\n`,
    commands: [['RPUSH', 'l', 'a b', 'c d', 'Ax4g\nq', "it's\\n", '', 'ef g', 'h\x0bi', 'j']],
  },
  { name: 'empty quoted arguments', input: `RPUSH l '' "" ''\r\n`, commands: [['RPUSH', 'l', '', '', '']] },
  { name: 'quote glued to a token', input: 'RPUSH l x"y" "q"\x0b"r"\r\n', commands: [['RPUSH', 'l', 'xy', 'q', 'r']] },
  { name: '\\v and \\f do not end an unquoted token', input: 'RPUSH l a\tb\fc\r\n', commands: [['RPUSH', 'l', 'a', 'b\fc']] },
  { name: 'hex escapes', input: 'ECHO "\\xfF\\xZZ"\r\n', commands: [['ECHO', '\xffxZZ']] },
  { name: 'short hex escapes', input: 'ECHO "\\x4" "\\x"\r\n', commands: [['ECHO', 'x4', 'x']] },
  { name: 'control escapes', input: 'ECHO "\\a\\b\\t\\r\\n\\\\\\""\r\n', commands: [['ECHO', '\x07\x08\t\r\n\\"']] },
  { name: 'raw high byte in quotes', input: 'ECHO "\xe9"\r\n', commands: [['ECHO', '\xe9']] },
  { name: 'raw CR inside quotes', input: 'ECHO "a\rb"\r\n', commands: [['ECHO', 'a\rb']] },
  { name: 'single quotes keep backslashes', input: "ECHO 'a\\\\b' 'a\\nb'\r\n", commands: [['ECHO', 'a\\\\b', 'a\\nb']] },
  { name: 'unquoted backslash is literal', input: 'ECHO a\\ b\r\n', commands: [['ECHO', 'a\\', 'b']] },
  { name: 'closing quote then \\v', input: 'ECHO "abc"\x0b\r\n', commands: [['ECHO', 'abc']] },
  { name: 'unbalanced double quote', input: `PING\r\nECHO "abc\r\nPING\r\n`, commands: [['PING']], error: UNBALANCED },
  { name: 'unbalanced single quote', input: "ECHO 'abc\r\n", commands: [], error: UNBALANCED },
  { name: 'closing double quote followed by a letter', input: 'ECHO "abc"x\r\n', commands: [], error: UNBALANCED },
  { name: 'closing single quote followed by a letter', input: "ECHO 'abc'x\r\n", commands: [], error: UNBALANCED },
  { name: 'escaped closing quote', input: 'ECHO "abc\\"\r\n', commands: [], error: UNBALANCED },
  { name: 'backslash at the end of quotes', input: 'ECHO "abc\\\r\n', commands: [], error: UNBALANCED },
  { name: 'quotes back to back', input: `ECHO "a"'b'\r\n`, commands: [], error: UNBALANCED },
  {
    name: 'unbalanced quotes (Redis test suite)',
    input: 'set """test-key""" test-value\r\nping\r\n',
    commands: [],
    error: UNBALANCED,
  },
  { name: 'NUL blocks an inline line', input: 'ECHO a\0b\r\nPING\r\n', commands: [] },
  {
    name: 'blocked inline line grows into too big',
    input: bytes('PING\r\nECHO \0', fill(70000, 'a'), '\n'),
    commands: [['PING']],
    error: TOO_BIG_INLINE,
  },
  {
    name: 'protocol desync regression #1 (Redis test suite)',
    input: bytes('\0', fill(70000, 'A')),
    commands: [],
    error: TOO_BIG_INLINE,
  },
  {
    name: 'protocol desync regression #2 (Redis test suite)',
    input: bytes('*\0', fill(70000, 'A')),
    commands: [],
    error: TOO_BIG_MBULK,
  },
  {
    name: 'protocol desync regression #3 (Redis test suite)',
    input: bytes('$\0', fill(70000, 'A')),
    commands: [],
    error: TOO_BIG_INLINE,
  },
  {
    name: 'inline line of exactly 64 KiB',
    input: bytes('ECHO ', fill(65531, 'a'), '\n'),
    commands: [['ECHO', 'a'.repeat(65531)]],
  },
  {
    // The CR counts: once it is buffered without the LF, more than 64 KiB wait for a newline.
    name: 'inline line of 64 KiB plus CRLF',
    input: bytes('ECHO ', fill(65531, 'a'), '\r\n'),
    commands: [],
    error: TOO_BIG_INLINE,
  },
  {
    name: 'inline line of 64 KiB including its CR',
    input: bytes('ECHO ', fill(65530, 'a'), '\r\n'),
    commands: [['ECHO', 'a'.repeat(65530)]],
  },
  {
    name: 'inline line of 64 KiB without newline waits',
    input: bytes('ECHO ', fill(65531, 'a')),
    commands: [],
  },
  {
    name: 'inline line of 64 KiB + 1 without newline',
    input: bytes('ECHO ', fill(65532, 'a')),
    commands: [],
    error: TOO_BIG_INLINE,
  },
  {
    // Redis accepts this when one read() returns the whole line and refuses it when the
    // line comes in pieces; the parser always refuses it.
    name: 'inline line past 64 KiB with newline (read-size dependent in Redis)',
    input: bytes(PING, 'ECHO ', fill(70000, 'a'), '\n'),
    commands: [['PING']],
    error: TOO_BIG_INLINE,
  },
];

/** Commands and error from feeding `chunks` one after the other. */
export function feed(
  parser: RequestParserLike,
  chunks: Iterable<Uint8Array>,
): { commands: string[][]; error?: string } {
  const commands: string[][] = [];
  const take = (cmds: Buffer[][]): void => {
    for (const cmd of cmds) commands.push(cmd.map((arg) => Buffer.from(arg).toString('latin1')));
  };
  for (const chunk of chunks) {
    try {
      take(parser.execute(chunk));
    } catch (err) {
      const e = err as Error & { commands?: Buffer[][] };
      if (e.name !== 'ProtocolError' || !Array.isArray(e.commands)) throw err;
      take(e.commands);
      return { commands, error: e.message };
    }
  }
  return { commands };
}

function* byteByByte(data: Buffer): Generator<Uint8Array> {
  for (let i = 0; i < data.length; i++) yield data.subarray(i, i + 1);
}

/** Short inputs are also split in two at every position. */
const TWO_WAY_MAX = 400;
const RANDOM_SPLITS = 6;

/**
 * Registers one vitest test per case for a parser implementation.
 *
 * @param name Shown in the describe block, e.g. 'js' or 'wasm'.
 * @param makeParser Returns a fresh parser for the given options.
 */
export function runParserSuite(
  name: string,
  makeParser: (opts?: ParserCaseOptions) => RequestParserLike,
): void {
  describe(`request parser (${name})`, () => {
    requestCases.forEach((c, index) => {
      it(c.name, () => {
        const data = typeof c.input === 'string' ? Buffer.from(c.input, 'latin1') : c.input;
        const expected = c.error === undefined
          ? { commands: c.commands }
          : { commands: c.commands, error: c.error };
        const check = (how: string, chunks: Iterable<Uint8Array>): void => {
          const got = feed(makeParser(c.options), chunks);
          expect(got, `${name} / ${c.name} / ${how}`).toEqual(expected);
        };

        // Whole, as a plain Uint8Array rather than a Buffer.
        check('whole', [new Uint8Array(data.buffer, data.byteOffset, data.length)]);
        check('byte by byte', byteByByte(data));
        if (data.length <= TWO_WAY_MAX) {
          for (let at = 1; at < data.length; at++) {
            check(`split at ${at}`, [data.subarray(0, at), data.subarray(at)]);
          }
        }
        for (let k = 0; k < RANDOM_SPLITS; k++) {
          const seed = index * 1000 + k;
          check(`random chunks, seed ${seed}`, randomChunks(data, new Prng(seed)));
        }
      });
    });
  });
}
