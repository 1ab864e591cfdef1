/**
 * x87 80-bit extended precision ("long double" on x86-64 Linux), emulated exactly with BigInt,
 * for INCRBYFLOAT: Redis parses both operands with strtold, adds them in long double and prints
 * the sum with "%.17Lf", so its replies show digits a 64-bit double does not have (e.g.
 * 5005.8 + 100 → "5105.80000000000000027"). Rounding is to nearest, ties to even, as the FPU and
 * glibc do. Subnormal results are not modelled (they are treated as underflow).
 */

/** A finite long double: (-1)^neg × mant × 2^exp, with mant = 0 or 2^63 ≤ mant < 2^64. */
export interface LongDouble {
  neg: boolean;
  mant: bigint;
  exp: number;
}

const MAX_EXP = 16384 - 64; // largest exp with a normalised 64-bit mantissa below 2^16384
const MIN_EXP = -16382 - 63; // smallest exp of a normal number

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Round n × 2^e2 (n > 0; `sticky` = nonzero bits were already dropped below n) to 64 bits. */
function round64(neg: boolean, n: bigint, e2: number, sticky = false): LongDouble | 'overflow' | 'underflow' {
  const bl = bitLength(n);
  let mant: bigint, exp: number;
  if (bl <= 64) {
    mant = n << BigInt(64 - bl);
    exp = e2 - (64 - bl);
  } else {
    const drop = bl - 64;
    let q = n >> BigInt(drop);
    const rem = n & ((1n << BigInt(drop)) - 1n);
    const half = 1n << BigInt(drop - 1);
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
    exp = e2 + drop;
    if (q === 1n << 64n) { q >>= 1n; exp++; }
    mant = q;
  }
  if (exp > MAX_EXP) return 'overflow';
  if (exp < MIN_EXP) return 'underflow';
  return { neg, mant, exp };
}

/**
 * Parse text as glibc's strtold would accept it whole (decimal or hex float, inf/infinity),
 * returning 'inf' / '-inf' for infinities and undefined when Redis's string2ld would reject it
 * (empty, leading space, trailing bytes, nan, overflow, underflow to zero).
 */
export function parseLongDouble(s: string): LongDouble | 'inf' | '-inf' | undefined {
  if (s.length === 0 || s.length >= 5 * 1024) return undefined;
  let m = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (m) return m[1] === '-' ? '-inf' : 'inf';
  m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (m && (m[2] !== '' || (m[3] ?? '') !== '')) {
    const neg = m[1] === '-';
    const frac = m[3] ?? '';
    const digits = BigInt((m[2] + frac) || '0');
    const dexp = Number(m[4] ?? '0') - frac.length;
    if (digits === 0n) return { neg, mant: 0n, exp: 0 };
    if (Math.abs(dexp) > 20000) return undefined; // far outside the long double range
    let r;
    if (dexp >= 0) r = round64(neg, digits * 10n ** BigInt(dexp), 0);
    else {
      const den = 10n ** BigInt(-dexp);
      const shift = Math.max(0, 66 + bitLength(den) - bitLength(digits));
      const num = digits << BigInt(shift);
      r = round64(neg, num / den, -shift, num % den !== 0n);
    }
    return typeof r === 'string' ? undefined : r;
  }
  m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(s);
  if (m && (m[2] !== '' || (m[3] ?? '') !== '')) {
    const neg = m[1] === '-';
    const frac = m[3] ?? '';
    const n = BigInt('0x' + ((m[2] + frac) || '0'));
    if (n === 0n) return { neg, mant: 0n, exp: 0 };
    const r = round64(neg, n, Number(m[4] ?? '0') - 4 * frac.length);
    return typeof r === 'string' ? undefined : r;
  }
  return undefined;
}

/** a + b rounded to long double; 'overflow' when the sum is infinite. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | 'overflow' {
  if (a.mant === 0n) return b.mant === 0n ? { neg: a.neg && b.neg, mant: 0n, exp: 0 } : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const av = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - e);
  const bv = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - e);
  const sum = av + bv;
  if (sum === 0n) return { neg: false, mant: 0n, exp: 0 };
  const r = round64(sum < 0n, sum < 0n ? -sum : sum, e);
  if (r === 'overflow') return 'overflow';
  if (r === 'underflow') return { neg: sum < 0n, mant: 0n, exp: 0 };
  return r;
}

/** printf("%.17Lf") of v, then Redis's human form: trailing zeros and a bare '.' removed, "-0" → "0". */
export function formatLongDoubleHuman(v: LongDouble): string {
  const scale = 10n ** 17n;
  let q: bigint;
  if (v.exp >= 0) q = (v.mant << BigInt(v.exp)) * scale;
  else {
    const scaled = v.mant * scale;
    const sh = BigInt(-v.exp);
    q = scaled >> sh;
    const rem = scaled & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const int = (q / scale).toString();
  let frac = (q % scale).toString().padStart(17, '0').replace(/0+$/, '');
  let s = (v.neg ? '-' : '') + int + (frac ? '.' + frac : '');
  if (s === '-0') s = '0';
  return s;
}
