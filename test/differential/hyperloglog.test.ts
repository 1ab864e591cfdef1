/**
 * Differential: Redis 7.0 HyperLogLog commands (PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST), RESP2
 * and RESP3, against redis-server — with the stored value compared byte for byte (GET) after
 * every change, so the sparse opcodes, the dense registers and the cached-cardinality bytes are
 * Redis's exactly.
 *
 * Covers: cardinalities from 0 to 1 000 000 (PFCOUNT and GET at many points), elements of every
 * length mod 8 and binary elements, sparse → dense promotion (register > 32 and
 * hll-sparse-max-bytes, also after CONFIG SET), PFMERGE into missing/sparse/dense destinations,
 * PFCOUNT over several keys, the cache bytes PFCOUNT writes, WRONGTYPE both ways and the
 * "not a valid HyperLogLog" error, corrupted values (INVALIDOBJ), PFDEBUG subcommands, generic
 * key commands on HLL keys, and seeded random command sequences.
 */
import { it } from 'vitest';
import {
  describeDiff, useDiffEnv, diffCases, skipUnlessImplemented, type DiffEnv, type StepInput,
} from '../helpers/transcript.js';
import { type Arg } from '../helpers/raw-client.js';
import { Prng } from '../resp/prng.js';

/** A PFADD of elements `${prefix}${from}` .. `${prefix}${to - 1}`. */
function pfadd(key: string, prefix: string, from: number, to: number): Arg[] {
  const a: Arg[] = ['PFADD', key];
  for (let i = from; i < to; i++) a.push(`${prefix}${i}`);
  return a;
}

/** Grow one HLL to `max` elements, checking PFCOUNT and the bytes at many cardinalities. */
function cardinalitySteps(key: string, prefix: string, max: number, batch = 2000): StepInput[] {
  const points = new Set<number>();
  for (let i = 0; i <= 40; i++) points.add(i);
  for (let x = 50; x <= max; x = Math.ceil(x * 1.25)) points.add(x);
  points.add(max);
  const sorted = [...points].filter((x) => x <= max).sort((a, b) => a - b);
  const steps: StepInput[] = [];
  let have = 0;
  for (const target of sorted) {
    while (have < target) {
      const to = Math.min(target, have + batch);
      steps.push(pfadd(key, prefix, have, to));
      have = to;
    }
    steps.push(['PFCOUNT', key], ['GET', key]);
  }
  steps.push(['PFDEBUG', 'ENCODING', key]);
  return steps;
}

/** Elements of lengths 0..40 (every length mod 8) and binary bytes, one PFADD each. */
function elementShapes(): StepInput[] {
  const steps: StepInput[] = [];
  for (let len = 0; len <= 40; len++) {
    steps.push(['PFADD', 'shapes', 'x'.repeat(len)], ['GET', 'shapes']);
    steps.push(['PFADD', 'shapes', Buffer.from(Array.from({ length: len }, (_, i) => (i * 97 + len) & 255))]);
  }
  steps.push(['PFCOUNT', 'shapes'], ['GET', 'shapes']);
  return steps;
}

const HDR_SPARSE = 'HYLL\x01\x00\x00\x00';
const HDR_DENSE = 'HYLL\x00\x00\x00\x00';
const CARD0 = '\x00\x00\x00\x00\x00\x00\x00\x00';
const CARD_STALE = '\x00\x00\x00\x00\x00\x00\x00\x80';
const latin1 = (s: string) => Buffer.from(s, 'latin1');
/** A dense HLL whose registers all hold `v` (or the pattern given by fn). */
function denseValue(fn: (i: number) => number, card = CARD_STALE): Buffer {
  const regs = Buffer.alloc(12288);
  for (let i = 0; i < 16384; i++) {
    const v = fn(i) & 63;
    const bit = i * 6;
    const byte = bit >> 3;
    const fb = bit & 7;
    regs[byte]! |= (v << fb) & 0xff;
    if (fb > 2) regs[byte + 1]! |= v >> (8 - fb);
  }
  return Buffer.concat([latin1(HDR_DENSE + card), regs]);
}

const cases: Record<string, readonly StepInput[]> = {
  'PFADD PFCOUNT basics and the stored bytes': [
    'PFCOUNT h',
    'PFADD h',
    'GET h',
    'STRLEN h',
    'OBJECT ENCODING h',
    'TYPE h',
    'PFCOUNT h',
    'GET h',
    'PFADD h',
    'PFADD h a',
    'GET h',
    'PFADD h a',
    'PFADD h b c d',
    'GET h',
    'PFCOUNT h',
    'GET h',
    'PFCOUNT h',
    'PFADD h a b',
    'GET h',
    'PFADD h2 a b c d',
    'GET h2',
    'PFADD h3 ""',
    'GET h3',
    'PFCOUNT h3',
    'PFADD',
    'PFCOUNT',
    'pfadd h e',
    'PfCount h',
    'PFDEBUG ENCODING h',
    'PFDEBUG DECODE h',
  ],
  'element shapes: every length mod 8, binary, empty': elementShapes(),
  'cardinalities 0 to 5000, sparse then dense': cardinalitySteps('c', 'el:', 5000, 500),
  'promotion: register above 32 and hll-sparse-max-bytes': [
    'CONFIG GET hll-sparse-max-bytes',
    'CONFIG SET hll-sparse-max-bytes 50',
    pfadd('p', 'q', 0, 5),
    'PFDEBUG ENCODING p',
    'GET p',
    pfadd('p', 'q', 5, 12),
    'PFDEBUG ENCODING p',
    'GET p',
    pfadd('p', 'q', 12, 30),
    'PFDEBUG ENCODING p',
    'GET p',
    'PFCOUNT p',
    'CONFIG SET hll-sparse-max-bytes 0',
    'PFADD p0 a',
    'PFDEBUG ENCODING p0',
    'PFADD p00',
    'PFDEBUG ENCODING p00',
    'GET p00',
    'CONFIG SET hll-sparse-max-bytes 20000',
    pfadd('big', 'z', 0, 4000),
    'PFDEBUG ENCODING big',
    'GET big',
    'PFCOUNT big',
    pfadd('big', 'z', 4000, 9000),
    'PFDEBUG ENCODING big',
    'GET big',
    'PFCOUNT big',
    'CONFIG SET hll-sparse-max-bytes 1kb',
    'CONFIG GET hll-sparse-max-bytes',
    'CONFIG SET hll-sparse-max-bytes -1',
    'CONFIG SET hll-sparse-max-bytes abc',
    'CONFIG SET hll-sparse-max-bytes 9223372036854775808',
    'CONFIG SET hll-sparse-max-bytes 3000',
    'CONFIG GET hll-sparse-max-bytes',
    // an element whose pattern length is above 32 promotes at once ("hll-sparse-max-bytes" aside)
    ['SET', 'k33', Buffer.concat([latin1(HDR_SPARSE + CARD0), latin1('\x7f\xff')])],
    'PFADD k33 a',
    'GET k33',
  ],
  'PFCOUNT caches the cardinality in the value': [
    pfadd('c', 'v', 0, 100),
    'GET c',
    'PFCOUNT c',
    'GET c',
    'PFADD c v1',
    'GET c',
    'PFADD c new',
    'GET c',
    'PFCOUNT c',
    'GET c',
    // a valid cache is returned as stored
    ['SET', 'fake', Buffer.concat([latin1(HDR_SPARSE + '\x39\x30\x00\x00\x00\x00\x00\x00'), latin1('\x7f\xff')])],
    'PFCOUNT fake',
    'OBJECT ENCODING fake',
    ['SET', 'fake2', Buffer.concat([latin1(HDR_SPARSE + '\xff\xff\xff\xff\xff\xff\xff\x7f'), latin1('\x7f\xff')])],
    'PFCOUNT fake2',
    'PFCOUNT fake2 fake',
    ['SET', 'emb', Buffer.concat([latin1(HDR_SPARSE + CARD_STALE), latin1('\x7f\xff')])],
    'OBJECT ENCODING emb',
    'PFCOUNT emb',
    'OBJECT ENCODING emb',
    'GET emb',
  ],
  'PFCOUNT of several keys (union, nothing cached)': [
    pfadd('a', 'x', 0, 200),
    pfadd('b', 'x', 100, 300),
    pfadd('d', 'y', 0, 5000),
    'PFCOUNT a b',
    'PFCOUNT a b nokey',
    'PFCOUNT nokey nokey2',
    'PFCOUNT a a',
    'PFCOUNT a d',
    'PFCOUNT d a b',
    'GET a',
    'GET b',
    'SET s str',
    'PFCOUNT a s',
    'PFCOUNT nokey s',
    'RPUSH l x',
    'PFCOUNT a l',
    'PFCOUNT l nokey',
  ],
  'PFMERGE': [
    pfadd('a', 'x', 0, 50),
    pfadd('b', 'x', 25, 90),
    'PFMERGE m a b',
    'GET m',
    'PFDEBUG ENCODING m',
    'PFCOUNT m',
    'PFMERGE m',
    'GET m',
    'PFMERGE empty',
    'GET empty',
    'PFCOUNT empty',
    'PFMERGE empty2 nokey nokey2',
    'GET empty2',
    'PFMERGE a b',
    'GET a',
    'PFMERGE a a',
    'GET a',
    pfadd('d', 'z', 0, 3000),
    'PFDEBUG ENCODING d',
    'PFMERGE m2 a d',
    'PFDEBUG ENCODING m2',
    'GET m2',
    'PFCOUNT m2',
    'PFMERGE a d',
    'PFDEBUG ENCODING a',
    'GET a',
    'PFMERGE sp b',
    'GET sp',
    'PFMERGE sp d',
    'GET sp',
    'SET s str',
    'PFMERGE s a',
    'PFMERGE m s',
    'PFMERGE nokey3 s',
    'EXISTS nokey3',
    'RPUSH l x',
    'PFMERGE l a',
    'PFMERGE m l',
    'SET t v EX 100',
    'PFADD u x',
    'PFMERGE u a',
    'TTL u',
    'PFMERGE',
  ],
  'PFMERGE builds large sparse results register by register': [
    'CONFIG SET hll-sparse-max-bytes 60000',
    pfadd('a', 'k', 0, 2000),
    pfadd('b', 'j', 0, 2500),
    'PFMERGE m a b',
    'PFDEBUG ENCODING m',
    'GET m',
    'PFCOUNT m',
    'PFDEBUG DECODE m',
    'CONFIG SET hll-sparse-max-bytes 3000',
    'PFMERGE m2 a b',
    'PFDEBUG ENCODING m2',
    'GET m2',
    'PFMERGE m3 m',
    'GET m3',
  ],
  'WRONGTYPE and invalid HyperLogLog values': [
    'SET s abc',
    'PFADD s a',
    'PFCOUNT s',
    'PFDEBUG ENCODING s',
    'SET n 123',
    'PFADD n a',
    'SET n 12345678901234567',
    'PFADD n a',
    'SET e ""',
    'PFADD e a',
    ['SET', 'short', 'HYLL\x01\x00\x00'],
    'PFADD short a',
    ['SET', 'bad', Buffer.concat([latin1('HYLX\x01\x00\x00\x00' + CARD0), latin1('\x7f\xff')])],
    'PFADD bad a',
    ['SET', 'enc2', Buffer.concat([latin1('HYLL\x02\x00\x00\x00' + CARD0), latin1('\x7f\xff')])],
    'PFCOUNT enc2',
    ['SET', 'shortdense', Buffer.concat([latin1(HDR_DENSE + CARD0), Buffer.alloc(100)])],
    'PFCOUNT shortdense',
    'PFMERGE x shortdense',
    'RPUSH l a',
    'PFADD l a',
    'PFCOUNT l',
    'PFMERGE l',
    'PFDEBUG GETREG l',
    'PFADD h a',
    'LPUSH h a',
    'LLEN h',
    'APPEND h x',
    'PFCOUNT h',
    'PFADD h b',
    'GET h',
  ],
  'corrupted sparse values (INVALIDOBJ)': [
    // too few registers
    ['SET', 'few', Buffer.concat([latin1(HDR_SPARSE + CARD_STALE), latin1('\x7f\xfe')])],
    'PFCOUNT few',
    'PFADD few a',
    'PFADD few',
    'PFMERGE m few',
    'PFCOUNT few few',
    'PFDEBUG GETREG few',
    'PFDEBUG TODENSE few',
    'PFDEBUG DECODE few',
    'GET few',
    // too many registers
    ['SET', 'many', Buffer.concat([latin1(HDR_SPARSE + CARD_STALE), latin1('\x7f\xff\x00')])],
    'PFCOUNT many',
    'PFADD many a b c',
    'GET many',
    'PFCOUNT many',
    'PFDEBUG DECODE many',
    // a VAL run passing the end
    ['SET', 'over', Buffer.concat([latin1(HDR_SPARSE + CARD_STALE), latin1('\x7f\xfe\x83')])],
    'PFCOUNT over',
    'PFDEBUG DECODE over',
    'PFDEBUG TODENSE over',
    'PFMERGE m over',
    // an XZERO cut short at the end
    ['SET', 'cut', Buffer.concat([latin1(HDR_SPARSE + CARD_STALE), latin1('\x7f')])],
    'PFCOUNT cut',
    'PFDEBUG DECODE cut',
    'PFADD cut a',
    ['SET', 'cut2', Buffer.concat([latin1(HDR_SPARSE + CARD_STALE), latin1('\x7f\xbf\x00')])],
    'PFCOUNT cut2',
    'PFDEBUG DECODE cut2',
    // no opcodes at all
    ['SET', 'none', latin1(HDR_SPARSE + CARD_STALE)],
    'PFCOUNT none',
    'PFADD none a',
    'PFDEBUG DECODE none',
    // a valid cache hides the corruption from PFCOUNT of one key
    ['SET', 'hidden', Buffer.concat([latin1(HDR_SPARSE + '\x07' + CARD0.slice(1)), latin1('\x00')])],
    'PFCOUNT hidden',
    'PFCOUNT hidden nokey',
    // zero-filled opcodes: 16384 ZERO:1 would be needed; a few of them are not enough
    ['SET', 'zeros', Buffer.concat([latin1(HDR_SPARSE + CARD_STALE), Buffer.alloc(20)])],
    'PFCOUNT zeros',
    'PFDEBUG DECODE zeros',
    'PFADD zeros a',
  ],
  'crafted dense registers (values up to 63)': [
    ['SET', 'd51', denseValue((i) => (i % 97 === 0 ? 51 : i % 7))],
    'PFCOUNT d51',
    'GET d51',
    ['SET', 'd63', denseValue((i) => (i % 5 === 0 ? 63 : i % 3 === 0 ? 52 : 1))],
    'PFCOUNT d63',
    'PFCOUNT d63 d51',
    'PFMERGE m d63 d51',
    'GET m',
    'PFCOUNT m',
    ['SET', 'all51', denseValue(() => 51)],
    'PFCOUNT all51',
    ['SET', 'half51', denseValue((i) => (i & 1 ? 51 : 0))],
    'PFCOUNT half51',
    ['SET', 'zero', denseValue(() => 0)],
    'PFCOUNT zero',
    'PFADD zero a',
    'GET zero',
    ['SET', 'one', denseValue(() => 1)],
    'PFCOUNT one',
    ['SET', 'mix', denseValue((i) => (i * 2654435761) % 20)],
    'PFCOUNT mix',
    'PFDEBUG ENCODING mix',
    'PFDEBUG DECODE mix',
    'PFDEBUG TODENSE mix',
  ],
  'PFDEBUG': [
    'PFDEBUG GETREG nokey',
    'PFDEBUG FOO nokey',
    pfadd('h', 'r', 0, 20),
    'PFDEBUG ENCODING h',
    'PFDEBUG DECODE h',
    'PFDEBUG ENCODING h extra',
    'PFDEBUG DeCoDe h extra',
    'PFDEBUG FOO h',
    'PFDEBUG "bad\\r\\nname" h',
    ['PFDEBUG', Buffer.from('encoding\0zz'), 'h'],
    'PFDEBUG GETREG h',
    'PFDEBUG ENCODING h',
    'GET h',
    'PFDEBUG TODENSE h',
    'PFDEBUG TODENSE h',
    'PFDEBUG DECODE h',
    'PFDEBUG TODENSE h x',
    'PFADD s2 a b',
    'PFDEBUG TODENSE s2',
    'GET s2',
    'PFCOUNT s2',
    'SET str abc',
    'PFDEBUG ENCODING str',
    'PFDEBUG',
    'PFDEBUG GETREG',
  ],
  'PFSELFTEST': [
    'PFSELFTEST',
    'PFSELFTEST extra',
  ],
  'HyperLogLogs through generic key commands': [
    pfadd('h', 'g', 0, 300),
    'COPY h h2',
    'GET h2',
    'PFCOUNT h2',
    'RENAME h2 h3',
    'PFADD h3 extra',
    'GET h3',
    'EXPIRE h3 1000',
    'PFADD h3 more',
    'ttl: TTL h3',
    'PFCOUNT h3',
    'ttl: TTL h3',
    'MOVE h3 1',
    'SELECT 1',
    'PFCOUNT h3',
    'SELECT 0',
    'SETRANGE h 20 x',
    'PFCOUNT h',
    'GET h',
    'TYPE h',
    'scanall: TYPE string',
    'DEL h',
    'sort: KEYS *',
  ],
  'COMMAND INFO and GETKEYS for HyperLogLog commands': [
    'COMMAND INFO pfadd pfcount pfmerge pfdebug pfselftest',
    'COMMAND GETKEYS PFADD k a',
    'COMMAND GETKEYS PFCOUNT a b c',
    'COMMAND GETKEYS PFMERGE d a b',
    'COMMAND GETKEYSANDFLAGS PFMERGE d a b',
    'COMMAND GETKEYS PFDEBUG GETREG k',
  ],
};

// ─── large cardinalities and random sequences ────────────────────────────────────────────────

function bigCases(env: DiffEnv): void {
  it('cardinalities up to 1 000 000 (count and bytes at ~60 points)', async (ctx) => {
    if (await skipUnlessImplemented(env, ['PFADD', 'PFCOUNT'], 'cardinalities', ctx)) return;
    const p = await env.pair(2);
    try {
      await p.run(cardinalitySteps('big', 'm', 1_000_000, 5000));
    } finally {
      await p.close();
    }
    p.assertOk();
  }, 120_000);
  it('many small HLLs: each cardinality 0..300 in its own key, counted and merged', async (ctx) => {
    if (await skipUnlessImplemented(env, ['PFADD', 'PFCOUNT', 'PFMERGE'], 'small', ctx)) return;
    const p = await env.pair(3);
    try {
      for (let n = 0; n <= 300; n++) {
        await p.run([pfadd(`s${n}`, `n${n}:`, 0, n), ['PFCOUNT', `s${n}`], ['GET', `s${n}`]]);
      }
      for (let n = 0; n < 300; n += 7) {
        await p.run([['PFMERGE', `m${n}`, `s${n}`, `s${n + 1}`, `s${300 - n}`], ['GET', `m${n}`], ['PFCOUNT', `m${n}`]]);
        await p.run([['PFCOUNT', `s${n}`, `s${n + 3}`, `s${n + 5}`]]);
      }
    } finally {
      await p.close();
    }
    p.assertOk();
  }, 60_000);
}

/** Random PFADD/PFMERGE/PFCOUNT over a few keys, the value compared after every change. */
function randomSteps(seed: number, n: number): StepInput[] {
  const g = new Prng(seed);
  const keys = ['h1', 'h2', 'h3', 'h4'];
  const pick = <T,>(xs: readonly T[]): T => xs[g.int(xs.length)]!;
  const element = (): Arg => {
    const r = g.next();
    if (r < 0.6) return `e${g.int(3000)}`;
    if (r < 0.9) return String(g.int(100000));
    return Buffer.from(Array.from({ length: g.int(20) }, () => g.int(256)));
  };
  const steps: StepInput[] = [];
  for (let i = 0; i < n; i++) {
    const k = pick(keys);
    const r = g.next();
    if (r < 0.55) {
      const a: Arg[] = ['PFADD', k];
      const m = g.next() < 0.2 ? g.int(300) : g.int(6);
      for (let j = 0; j < m; j++) a.push(element());
      steps.push(a, ['GET', k]);
    } else if (r < 0.7) {
      steps.push(['PFCOUNT', k], ['GET', k]);
    } else if (r < 0.8) {
      steps.push(['PFCOUNT', ...Array.from({ length: g.range(2, 4) }, () => pick([...keys, 'none']))]);
    } else if (r < 0.92) {
      steps.push(['PFMERGE', k, ...Array.from({ length: g.range(0, 3) }, () => pick([...keys, 'none']))], ['GET', k]);
    } else if (r < 0.95) {
      steps.push(['PFDEBUG', pick(['ENCODING', 'DECODE', 'TODENSE']), k]);
    } else if (r < 0.97) {
      steps.push(['DEL', k]);
    } else if (r < 0.98) {
      steps.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', pick(['3000', '200', '10000', '0'])]);
    } else {
      steps.push(['SET', k, pick(['x', 'HYLL'])]);
    }
  }
  steps.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'], ['DEL', ...keys]);
  return steps;
}

function randomCases(env: DiffEnv): void {
  for (const [seed, resp] of [[11, 2], [22, 3], [33, 2]] as const) {
    it(`random HyperLogLog sequence (seed ${seed}, RESP${resp})`, async (ctx) => {
      if (await skipUnlessImplemented(env, ['PFADD', 'PFCOUNT', 'PFMERGE', 'PFDEBUG'], `random ${seed}`, ctx)) return;
      const p = await env.pair(resp);
      try {
        await p.run(randomSteps(seed, 800));
      } finally {
        await p.close();
      }
      p.assertOk();
    }, 60_000);
  }
}

describeDiff('differential: hyperloglog', () => {
  const env = useDiffEnv();
  diffCases(env, cases);
  bigCases(env);
  randomCases(env);
});
