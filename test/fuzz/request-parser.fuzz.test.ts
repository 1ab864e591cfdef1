// Fuzzes the JS request parser: generated request streams (with known commands) must parse
// to exactly those commands however they are chunked; mutated and random bytes must either
// parse or fail with one of Redis's protocol errors, identically however they are chunked.
// Seeded: FUZZ_SEED=<n> reproduces a run, FUZZ_ROUNDS=<n> makes it longer.

import { afterAll, describe, expect, it } from 'vitest';
import { RespRequestParser } from '../../src/resp/request-parser.js';
import { feed } from '../resp/request-cases.js';
import { Prng, randomChunks } from '../resp/prng.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611) >>> 0;
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 1);
console.log(`request-parser fuzz: seed ${SEED} (FUZZ_SEED=${SEED} reproduces)`);

/** Every message the parser may throw (no authRequired in this run). */
const REDIS_ERROR = new RegExp(
  '^ERR Protocol error: (too big inline request|unbalanced quotes in request|' +
    "too big mbulk count string|invalid multibulk length|too big bulk count string|" +
    "expected '\\$', got '[^]'|invalid bulk length)$",
);

interface Generated {
  bytes: Buffer;
  commands: string[][];
}

const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.{}';

function randomBytes(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(256));
  return s;
}

function argLength(rng: Prng): number {
  const r = rng.next();
  if (r < 0.6) return rng.int(12);
  if (r < 0.95) return rng.int(200);
  return rng.range(1000, 6000);
}

/** One inline argument: its text on the wire and the bytes it stands for. */
function inlineArg(rng: Prng): [wire: string, value: string] {
  let plain = '';
  const n = rng.range(1, 10);
  for (let i = 0; i < n; i++) plain += rng.pick([...TOKEN_CHARS]);
  switch (rng.int(4)) {
    case 0:
      return [`"${plain} x"`, `${plain} x`];
    case 1:
      return [`'${plain}\\'s'`, `${plain}'s`];
    case 2: {
      const byte = rng.int(256);
      const hex = byte.toString(16).padStart(2, '0');
      return [`"\\x${hex}\\n${plain}"`, `${String.fromCharCode(byte)}\n${plain}`];
    }
    default:
      return [plain, plain];
  }
}

/** A valid stream of commands together with the commands it carries. */
function generateStream(rng: Prng): Generated {
  const parts: string[] = [];
  const commands: string[][] = [];
  const count = rng.range(1, 20);
  for (let c = 0; c < count; c++) {
    const kind = rng.next();
    if (kind < 0.65) {
      const args: string[] = [];
      const argc = rng.range(1, 6);
      for (let i = 0; i < argc; i++) args.push(randomBytes(rng, argLength(rng)));
      parts.push(`*${argc}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
      commands.push(args);
    } else if (kind < 0.9) {
      const wires: string[] = [];
      const values: string[] = [];
      const argc = rng.range(1, 5);
      for (let i = 0; i < argc; i++) {
        const [wire, value] = inlineArg(rng);
        wires.push(wire);
        values.push(value);
      }
      const sep = rng.pick([' ', '  ', '\t']);
      parts.push(`${rng.pick(['', ' '])}${wires.join(sep)}${rng.pick(['\r\n', '\n'])}`);
      commands.push(values);
    } else {
      // Things Redis skips: empty lines and empty or negative multibulk counts.
      parts.push(rng.pick(['\r\n', '\n', '   \n', '*0\r\n', '*-1\r\n', '*-42\r\n']));
    }
  }
  return { bytes: Buffer.from(parts.join(''), 'latin1'), commands };
}

const INSERTS = ['\r', '\n', '\r\n', '*', '$', '0', '1', '9', '-', '\0', '"', "'", '\\', ' ', '\x0b',
  '$-1\r\n', '*2147483648\r\n', '$536870913\r\n', '$99999999999999999999\r\n', '*3000000000\r\n',
  '$536870912\r\n', '*-9223372036854775809\r\n'];

/** Applies 1-4 random mutations. */
function mutate(data: Buffer, rng: Prng): Buffer {
  let bytes = Buffer.from(data);
  const n = rng.range(1, 4);
  for (let m = 0; m < n; m++) {
    const at = rng.int(bytes.length + 1);
    switch (rng.int(6)) {
      case 0: // bit flip
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)]! ^= 1 << rng.int(8);
        break;
      case 1: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 2: // insert a token that matters to the grammar
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(INSERTS), 'latin1'), bytes.subarray(at)]);
        break;
      case 3: { // delete a slice
        const len = rng.range(1, 8);
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]);
        break;
      }
      case 4: { // duplicate a slice
        const len = rng.range(1, 32);
        bytes = Buffer.concat([bytes.subarray(0, at + len), bytes.subarray(at, at + len), bytes.subarray(at + len)]);
        break;
      }
      default: // overwrite with a random byte
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = rng.int(256);
    }
  }
  return bytes;
}

/** How often each outcome came up, printed at the end so coverage is visible. */
const outcomes = new Map<string, number>();

/** Feeds `data` whole, in random chunks and (if short) byte by byte; all must agree. */
function parseEveryWay(data: Buffer, rng: Prng, label: string): { commands: string[][]; error?: string } {
  const whole = feed(new RespRequestParser(), [data]);
  if (whole.error !== undefined) expect(whole.error, label).toMatch(REDIS_ERROR);
  const outcome = whole.error?.replace(/got '[^]'/, "got 'X'") ?? 'no error';
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  for (let k = 0; k < 2; k++) {
    expect(feed(new RespRequestParser(), randomChunks(data, rng)), `${label} / random chunks ${k}`).toEqual(whole);
  }
  if (data.length <= 600) {
    const bytes = Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1));
    expect(feed(new RespRequestParser(), bytes), `${label} / byte by byte`).toEqual(whole);
  }
  return whole;
}

describe(`request parser fuzz (seed ${SEED})`, () => {
  afterAll(() => {
    const lines = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${String(n).padStart(6)}  ${k}`);
    console.log(`request-parser fuzz outcomes (seed ${SEED}):\n${lines.join('\n')}`);
  });

  it('valid streams give their commands however they are chunked', () => {
    const rng = new Prng(SEED);
    for (let i = 0; i < 600 * ROUNDS; i++) {
      const { bytes, commands } = generateStream(rng);
      const got = parseEveryWay(bytes, rng, `seed ${SEED} valid #${i}`);
      expect(got, `seed ${SEED} valid #${i}`).toEqual({ commands });
    }
  });

  it('mutated streams parse or fail with a Redis protocol error, the same however chunked', () => {
    const rng = new Prng(SEED ^ 0x9e3779b9);
    for (let i = 0; i < 5000 * ROUNDS; i++) {
      const { bytes } = generateStream(rng);
      // Keep inputs short so byte-by-byte feeding stays cheap.
      const base = bytes.length > 2000 ? bytes.subarray(0, 2000) : bytes;
      parseEveryWay(mutate(base, rng), rng, `seed ${SEED} mutated #${i}`);
    }
  });

  it('random bytes parse or fail with a Redis protocol error', () => {
    const rng = new Prng(SEED ^ 0x85ebca6b);
    const alphabet = '*$\r\n0123456789- "\'\\\0xa';
    for (let i = 0; i < 3000 * ROUNDS; i++) {
      const len = rng.int(300);
      let s = '';
      // Mostly grammar characters, so the input reaches deep states.
      for (let j = 0; j < len; j++) s += rng.next() < 0.8 ? rng.pick([...alphabet]) : String.fromCharCode(rng.int(256));
      parseEveryWay(Buffer.from(s, 'latin1'), rng, `seed ${SEED} random #${i}`);
    }
  });

  it('oversized lines hit the 64 KiB limits the same however chunked', () => {
    const rng = new Prng(SEED ^ 0xc2b2ae35);
    for (const prefix of ['', '*', '*1\r\n$', '*1\r\nx', 'ECHO ', '*1\0', 'ECHO "']) {
      for (const tail of ['', '\r', '\n', '\r\n', '\0']) {
        const len = rng.range(65532, 65540);
        const data = Buffer.concat([
          Buffer.from(prefix, 'latin1'),
          Buffer.alloc(len - prefix.length, rng.pick(['1', 'a', ' '])),
          Buffer.from(tail, 'latin1'),
        ]);
        parseEveryWay(data, rng, `seed ${SEED} long (${JSON.stringify(prefix)}, ${len}, ${JSON.stringify(tail)})`);
      }
    }
  });
});
