// assembly/util/double.ts against JavaScript: parsing (glibc strtod as Redis 7.0 applies it to
// scores) must give the same double as Number() (correctly rounded, any length), and "%.17g"
// must print what glibc prints (checked against an exact BigInt expansion and against
// toPrecision(17) rewritten to C's %g rules; the two differ only on exact ties, where glibc
// rounds half to even and toPrecision rounds up).
import { describe, it, expect, beforeAll } from 'vitest';
import { instantiate, createMemory, type EngineExports } from '../../src/engine/wasm.js';
import { Prng } from '../resp/prng.js';

interface DoubleExports extends EngineExports {
  testStrtod(p: number, len: number): number;
  testParseDouble(p: number, len: number): number;
  testDoubleResult(): number;
  testDoubleRange(): number;
  testFormatDouble(dst: number, v: number, mode: number): number;
}

let ex: DoubleExports;
let buf = 0;
const BUF_SIZE = 1 << 16;

beforeAll(() => {
  const memory = createMemory(false);
  ex = instantiate(memory, false) as DoubleExports;
  expect(ex.init(1, 12345, Date.now())).toBe(0);
  const w = ex.workerCreate();
  buf = ex.reserveScratch(w, BUF_SIZE);
});

function bytes(): Uint8Array {
  return new Uint8Array(ex.memory.buffer);
}

function put(s: string | Buffer): number {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  if (b.length > BUF_SIZE) throw new Error('test input too long');
  bytes().set(b, buf);
  return b.length;
}

/** glibc strtod: [consumed, value, range] */
function strtod(s: string): [number, number, number] {
  const n = put(s);
  const used = ex.testStrtod(buf, n);
  return [used, ex.testDoubleResult(), ex.testDoubleRange()];
}

/** Redis's score parsing: the value, or undefined when rejected. */
function parseScore(s: string | Buffer): number | undefined {
  const n = put(s);
  return ex.testParseDouble(buf, n) ? ex.testDoubleResult() : undefined;
}

function format(v: number, mode = 0): string {
  const n = ex.testFormatDouble(buf, v, mode);
  return Buffer.from(bytes().subarray(buf, buf + n)).toString('latin1');
}

const same = (a: number, b: number) => Object.is(a, b);

// ─── references ─────────────────────────────────────────────────────────────────────────────

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function bitsOf(v: number): bigint {
  f64[0] = v;
  return u64[0]!;
}
function fromBits(b: bigint): number {
  u64[0] = b;
  return f64[0]!;
}
function nextUp(v: number): number {
  return v >= 0 ? fromBits(bitsOf(v) + 1n) : fromBits(bitsOf(v) - 1n);
}

/** Exact value of a finite positive double as decimal digits and the exponent of the last digit. */
function exactDecimal(v: number): { digits: string; exp: number } {
  const b = bitsOf(v);
  const e = Number((b >> 52n) & 0x7ffn);
  let m = b & ((1n << 52n) - 1n);
  let e2: number;
  if (e === 0) e2 = -1074;
  else {
    m |= 1n << 52n;
    e2 = e - 1075;
  }
  if (e2 >= 0) return { digits: (m << BigInt(e2)).toString(), exp: 0 };
  return { digits: (m * 5n ** BigInt(-e2)).toString(), exp: e2 };
}

/** C's %g layout of 17 significant digits d (no leading zero) with d0.d1… × 10^X. */
function cLayout(neg: boolean, d: string, X: number): string {
  let sig = d.replace(/0+$/, '');
  if (sig === '') sig = '0';
  let out: string;
  if (X < -4 || X >= 17) {
    const exp = `${X < 0 ? '-' : '+'}${String(Math.abs(X)).padStart(2, '0')}`;
    out = `${sig[0]}${sig.length > 1 ? `.${sig.slice(1)}` : ''}e${exp}`;
  } else if (X >= 0) {
    const int = sig.slice(0, X + 1).padEnd(X + 1, '0');
    const frac = sig.slice(X + 1);
    out = frac ? `${int}.${frac}` : int;
  } else {
    out = `0.${'0'.repeat(-X - 1)}${sig}`;
  }
  return neg ? `-${out}` : out;
}

/** %.17g from the exact expansion, half to even (glibc). */
function ref17g(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const neg = v < 0 || Object.is(v, -0);
  if (v === 0) return neg ? '-0' : '0';
  const { digits, exp } = exactDecimal(Math.abs(v));
  let X = digits.length - 1 + exp;
  let d = digits;
  if (d.length > 17) {
    const head = BigInt(d.slice(0, 17));
    const r = d[17]!;
    const rest = /[1-9]/.test(d.slice(18));
    const up = r > '5' || (r === '5' && (rest || (head & 1n) === 1n));
    let h = up ? head + 1n : head;
    if (h.toString().length > 17) {
      h /= 10n;
      X++;
    }
    d = h.toString();
  }
  return cLayout(neg, d.padEnd(17, '0'), X);
}

/** toPrecision(17) rewritten to %g (differs from glibc on exact ties only). */
function precision17g(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const s = Math.abs(v).toPrecision(17);
  const [mant, e] = s.split('e');
  const X = e !== undefined ? Number(e) : Math.floor(Math.log10(Math.abs(Number(mant)))) + 0;
  const digits = mant!.replace('.', '').replace(/^0+/, '');
  // toPrecision's fixed form "0.000…ddd" keeps 17 significant digits after the zeros
  let x = X;
  if (e === undefined) {
    const intPart = mant!.split('.')[0]!;
    x = intPart !== '0' ? intPart.length - 1 : -(mant!.split('.')[1]!.match(/^0*/)![0].length + 1);
  }
  return cLayout(v < 0, digits.padEnd(17, '0').slice(0, 17), x);
}

/** Is the exact expansion of v a tie at 17 significant digits? */
function isTie(v: number): boolean {
  if (v === 0 || !Number.isFinite(v)) return false;
  const digits = exactDecimal(Math.abs(v)).digits.replace(/0+$/, '');
  return digits.length === 18 && digits[17] === '5';
}

/** The exact decimal text of the midpoint between v and nextUp(v) (v > 0 finite). */
function midpointText(v: number): string {
  const a = exactDecimal(v), b = exactDecimal(nextUp(v));
  // bring both to the same exponent, add, halve (one more decimal place)
  const e = Math.min(a.exp, b.exp) - 1;
  const A = BigInt(a.digits) * 10n ** BigInt(a.exp - e);
  const B = BigInt(b.digits) * 10n ** BigInt(b.exp - e);
  const sum = (A + B) / 2n; // exact: A + B is even after the extra decimal place (×10)
  const s = sum.toString();
  return `${s}e${e}`;
}

/** The midpoint above v followed by `zeros` zeros and a 1: just above it, with a long tail. */
function aboveMidpoint(v: number, zeros: number): string {
  const [digits, e] = midpointText(v).split('e');
  return `${digits}${'0'.repeat(zeros)}1e${Number(e) - zeros - 1}`;
}

// ─── tests ──────────────────────────────────────────────────────────────────────────────────

describe('double parsing (strtod as Redis uses it)', () => {
  it('accepts and rejects scores exactly as Redis 7.0', () => {
    const accepted: [string, number][] = [
      ['1.1', 1.1], ['0e-400', 0], ['4.9e-324', 5e-324], ['3e-324', 5e-324], ['0x10', 16], ['0x1p-3', 0.125],
      ['+5', 5], ['inf', Infinity], ['-INF', -Infinity], ['Infinity', Infinity], ['+infinity', Infinity],
      ['.5', 0.5], ['5.', 5], ['1.7976931348623158e308', 1.7976931348623157e308], ['-0', -0], ['1e-310', 1e-310],
      ['0X1.8P1', 3], ['0x.8', 0.5], ['0x1P+2', 4], ['-0x1p-1074', -5e-324], ['1E5', 1e5], ['1e+5', 1e5],
      ['00001', 1], ['-00.000', -0], ['123456789012345678901234567890', 1.2345678901234568e29],
    ];
    for (const [s, v] of accepted) expect([s, parseScore(s)]).toEqual([s, v]);
    expect(Object.is(parseScore('-0'), -0)).toBe(true);
    const rejected = [
      '1e400', '1e-400', '2e-324', ' 1', '1 ', 'nan', 'NaN', '-nan', 'nan(123)', '1e', '', '.', '0x', '1e+',
      '1.7976931348623159e308', 'infinit', 'infinityx', '1.5.5', '--1', '+-1', '1e5.5', '0x1p', '\t1', '1\n',
      'abc', '1,5', '0x1.8p1x', 'e5', '-', '+', '0x1p99999', '1e99999999999999999999', '-1e-99999999999999999',
      '1\u00002',
    ];
    for (const s of rejected) expect([s, parseScore(s)]).toEqual([s, undefined]);
  });

  it('consumes what glibc strtod consumes', () => {
    const cases: [string, number, number][] = [
      ['', 0, 0], ['   ', 0, 0], ['abc', 0, 0], [' 1', 2, 1], ['1 ', 1, 1], ['1e', 1, 1], ['1e+', 1, 1],
      ['0x', 1, 0], ['0xg', 1, 0], ['0x.', 1, 0], ['0x1p', 3, 1], ['1.5.5', 3, 1.5], ['infinit', 3, Infinity],
      ['-infinity', 9, -Infinity], ['nan(abc_1)x', 10, NaN], ['nan(', 3, NaN], ['nan(a b)', 3, NaN],
      ['.', 0, 0], ['-.', 0, 0], ['+.5e1x', 5, 5], ['\t\n\v\f\r 7', 7, 7], ['1e400', 5, Infinity],
      ['1e-400', 6, 0], ['0x1.8p1 ', 7, 3], ['12abc', 2, 12],
    ];
    for (const [s, used, v] of cases) {
      const [u, r] = strtod(s);
      expect([s, u]).toEqual([s, used]);
      expect([s, same(r, v)]).toEqual([s, true]);
    }
    expect(strtod('1e400')[2]).toBe(1);
    expect(strtod('-1e-400')[2]).toBe(2);
    expect(Object.is(strtod('-1e-400')[1], -0)).toBe(true);
    expect(strtod('inf')[2]).toBe(0);
    expect(strtod('0e-999')[2]).toBe(0);
    expect(strtod('2.4703282292062327e-324')[2]).toBe(2); // just below half of the smallest subnormal
    expect(strtod('2.4703282292062328e-324')).toEqual([23, 5e-324, 0]); // just above it
  });

  it('matches Number() on random doubles printed with 17 digits, shortest, and fixed notation', () => {
    const g = new Prng(20240601);
    for (let i = 0; i < 20000; i++) {
      const b = (BigInt(g.next() * 2 ** 32 >>> 0) << 32n) | BigInt(g.next() * 2 ** 32 >>> 0);
      const v = fromBits(b & 0x7fffffffffffffffn);
      if (!Number.isFinite(v)) continue;
      for (const s of [v.toPrecision(17), String(v), v.toExponential(), v.toPrecision(21), `-${v.toPrecision(25)}`]) {
        const got = parseScore(s);
        const want = Number(s);
        if (!same(got ?? NaN, want) && !(want === 0 && got === undefined)) {
          expect([s, got]).toEqual([s, want]);
        }
      }
    }
  });

  it('matches Number() on random digit strings with random exponents (fast and exact paths)', () => {
    const g = new Prng(77);
    const int = (lo: number, hi: number) => lo + Math.floor(g.next() * (hi - lo + 1));
    for (let i = 0; i < 20000; i++) {
      const nd = i % 4 === 0 ? int(1, 60) : int(1, 22);
      let digits = '';
      for (let j = 0; j < nd; j++) digits += String(int(0, 9));
      const point = int(0, nd);
      const body = `${digits.slice(0, point)}.${digits.slice(point)}`;
      const s = `${body}e${int(-340, 320)}`;
      const want = Number(s);
      const got = parseScore(s);
      if (want === 0 && /[1-9]/.test(digits)) expect([s, got]).toEqual([s, undefined]); // underflow
      else if (!Number.isFinite(want)) expect([s, got]).toEqual([s, undefined]); // overflow
      else expect([s, got]).toEqual([s, want]);
    }
  });

  it('rounds exact halfway points to even and their neighbours the right way (long inputs)', () => {
    const g = new Prng(99);
    const samples: number[] = [5e-324, 1e-323, 2.2250738585072009e-308, 2.2250738585072014e-308, 1, 2 ** 53, 2 ** 53 - 1,
      9007199254740993, 1.7976931348623155e308, 0.1, 1e23, 8.98846567431158e307, 4.9406564584124654e-300];
    for (let i = 0; i < 300; i++) {
      const b = (BigInt(g.next() * 2 ** 32 >>> 0) << 32n) | BigInt(g.next() * 2 ** 32 >>> 0);
      const v = fromBits(b & 0x7fefffffffffffffn);
      if (Number.isFinite(v) && v > 0) samples.push(v);
    }
    for (const v of samples) {
      if (!Number.isFinite(nextUp(v))) continue;
      const mid = midpointText(v);
      const [digits, e] = mid.split('e');
      const variants = [
        mid,
        `${digits}000000000000000000000000001e${Number(e) - 27}`, // just above the midpoint
        `${(BigInt(digits!) * 10n ** 30n - 1n).toString()}e${Number(e) - 30}`, // just below
        `0.${'0'.repeat(50)}${digits}e${Number(e) + 50 + digits!.length}`, // leading zeros after the point
      ];
      for (const s of variants) {
        const want = Number(s);
        expect([s.length > 120 ? `${s.slice(0, 60)}…(${s.length})` : s, parseScore(s)]).toEqual([
          s.length > 120 ? `${s.slice(0, 60)}…(${s.length})` : s, want,
        ]);
      }
    }
  });

  it('handles very long inputs (beyond 768 significant digits) and many leading zeros', () => {
    const cases = [
      `1.${'0'.repeat(1000)}1`,
      `1.${'0'.repeat(2000)}`,
      `${'9'.repeat(400)}`,
      `0.${'0'.repeat(300)}${'123456789'.repeat(100)}`,
      `${'0'.repeat(5000)}42.5`,
      aboveMidpoint(1, 900),
      aboveMidpoint(5e-324, 1000),
      aboveMidpoint(2 ** 60, 800),
      `${'1'.repeat(1500)}e-1800`,
    ];
    for (const s of cases) {
      const n = Number(s);
      const want = Number.isFinite(n) ? n : undefined; // overflow is rejected
      expect([s.slice(0, 40), s.length, parseScore(s)]).toEqual([s.slice(0, 40), s.length, want]);
    }
  });

  it('parses hexadecimal floats with correct rounding', () => {
    const cases: [string, number][] = [
      ['0x1.fffffffffffff8p0', 2], // halfway, rounds to even (up)
      ['0x1.fffffffffffff7p0', 1.9999999999999998],
      ['0x1.00000000000008p0', 1], // halfway, to even (down)
      ['0x1.00000000000008000001p0', 1.0000000000000002],
      ['0x1.fffffffffffffp1023', 1.7976931348623157e308],
      ['0x1p-1074', 5e-324], ['0x1p-1075', NaN], ['0x1.000001p-1075', 5e-324], ['0x3p-1076', 5e-324],
      ['0x0.0000000000001p-1022', 5e-324], ['0xABCDEFabcdef0123456789p-40', Number(0xabcdefabcdef0123456789n) * 2 ** -40],
      ['0x000000000000000000001p0', 1], ['0x.00000000000000000001p80', 1],
    ];
    for (const [s, v] of cases) {
      if (Number.isNaN(v)) expect([s, parseScore(s)]).toEqual([s, undefined]);
      else expect([s, parseScore(s)]).toEqual([s, v]);
    }
  });
});

describe('double formatting (%.17g)', () => {
  it('prints Redis 7.0 replies', () => {
    const cases: [number, string][] = [
      [1.1, '1.1000000000000001'], [Infinity, 'inf'], [-Infinity, '-inf'], [-0, '-0'], [0, '0'], [1, '1'],
      [-2.5, '-2.5'], [1e25, '1.0000000000000001e+25'], [1e22, '1e+22'], [1e17, '1e+17'], [1e16, '10000000000000000'],
      [123456789012345678, '1.2345678901234568e+17'], [1e-5, '1.0000000000000001e-05'], [0.0001, '0.0001'],
      [5e-324, '4.9406564584124654e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [1125899906842624.25, '1125899906842624.2'], [1125899906842624.75, '1125899906842624.8'], [0.1, '0.10000000000000001'],
      [2 ** 53, '9007199254740992'], [2 ** 53 + 2, '9007199254740994'], [-(2 ** 53) - 2, '-9007199254740994'],
      [99999999999999999, '1e+17'], [1e-310, '9.9999999999999694e-311'], [4611686018427387904, '4.6116860184273879e+18'],
      [NaN, 'nan'],
    ];
    for (const [v, s] of cases) expect([v, format(v)]).toEqual([v, s]);
  });

  it('matches the exact expansion and toPrecision(17) on random and edge values', () => {
    const g = new Prng(4242);
    const values: number[] = [5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, 2 ** 53 - 1,
      2 ** 53 + 1, 2 ** 63, 2 ** 62, 0.5, 0.25, 1 / 3, 2 / 3, Math.PI, Math.E];
    for (let e = -330; e <= 308; e++) values.push(Number(`1e${e}`), Number(`9.999999999999999e${e}`));
    for (let e = -1074; e <= 1023; e += 7) values.push(2 ** e);
    for (let i = 0; i < 30000; i++) {
      const b = (BigInt(g.next() * 2 ** 32 >>> 0) << 32n) | BigInt(g.next() * 2 ** 32 >>> 0);
      const v = fromBits(b);
      if (Number.isFinite(v)) values.push(v);
      values.push(g.next() * 1000 - 500, Math.round(g.next() * 1e6) / 64);
    }
    // ties at 17 digits: m / 4 with m odd in [2^52, 2^53)
    for (let i = 0; i < 200; i++) values.push((2 ** 52 + 2 * Math.floor(g.next() * 2 ** 50) + 1) / 4);
    let ties = 0;
    for (const v of values) {
      if (v === 0 || !Number.isFinite(v)) continue;
      const got = format(v);
      expect([v, got]).toEqual([v, ref17g(v)]);
      if (isTie(v)) ties++;
      else expect([v, got]).toEqual([v, precision17g(v)]);
      // %.17g always reads back as the same double
      expect(Number(got)).toBe(v);
    }
    expect(ties).toBeGreaterThan(50);
  });

  it('writes listpack score text as d2string (integers within ±2^62 plainly)', () => {
    const cases: [number, string][] = [
      [1e18, '1000000000000000000'], [4611686018427387904, '4611686018427387904'],
      [4611686018427388928, '4.6116860184273889e+18'], [-4611686018427387904, '-4611686018427387904'],
      [-4611686018427388928, '-4.6116860184273889e+18'], [-0, '0'], [0.5, '0.5'], [123456789012345678, '123456789012345680'],
      [1e22, '1e+22'], [Infinity, 'inf'], [-Infinity, '-inf'], [3, '3'], [-7, '-7'], [1.1, '1.1000000000000001'],
    ];
    for (const [v, s] of cases) expect([v, format(v, 1)]).toEqual([v, s]);
  });
});
