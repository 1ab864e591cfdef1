// Fuzzes the JS request parser: generated request streams (with known commands) must parse
// to exactly those commands however they are chunked; mutated and random bytes must either
// parse or fail with one of Redis's protocol errors, identically however they are chunked.
// Seeded: FUZZ_SEED=<n> reproduces a run, FUZZ_ROUNDS=<n> makes it longer.

import { afterAll, describe, expect, it } from 'vitest';
import { RespRequestParser } from '../../src/resp/request-parser.js';
import { feed } from '../resp/request-cases.js';
import { Prng, randomChunks } from '../resp/prng.js';
import { generateStream, mutate } from '../resp/request-streams.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611) >>> 0;
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 1);
console.log(`request-parser fuzz: seed ${SEED} (FUZZ_SEED=${SEED} reproduces)`);

/** Every message the parser may throw (no authRequired in this run). */
const REDIS_ERROR = new RegExp(
  '^ERR Protocol error: (too big inline request|unbalanced quotes in request|' +
    "too big mbulk count string|invalid multibulk length|too big bulk count string|" +
    "expected '\\$', got '[^]'|invalid bulk length)$",
);

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
