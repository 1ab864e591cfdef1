// Exact double parsing and formatting over raw bytes, matching glibc as Redis 7.0 uses it.
//
// Owns: strtodBytes (glibc strtod in the "C" locale: decimal, hexadecimal "0x…p…", inf/infinity,
// nan/nan(…), optional leading whitespace and sign; correctly rounded for any input length),
// parseDouble (Redis's getDoubleFromObject rules on top of it), formatDouble17g (C's "%.17g":
// the exact decimal value of the double rounded half-even to 17 significant digits, as glibc
// prints it) and formatDoubleListpack (Redis's d2string: how a listpack stores a zset score).
// No managed allocation: the slow paths work in a per-instance block from alloc() (each engine
// instance has its own, so threads never share it).
//
//  Work block (WORK_SIZE bytes, allocated on first use)          offset
//  ┌──────────────────────────────────────────────────────────┐
//  │ decimal digits, one byte each (0..9)       DIGITS_CAP    │ 0
//  │ bignum A: length u32 · limbs u32 × MAX_LIMBS             │ BIG_A
//  │ bignum B: length u32 · limbs u32 × MAX_LIMBS             │ BIG_B
//  └──────────────────────────────────────────────────────────┘
//  A bignum is little-endian 32-bit limbs; `length` counts the limbs in use (no leading zero limb).
//
// Why big integers: a decimal string names one exact rational number; the nearest double (ties to
// even) can only be decided by comparing with exact halfway points, which for long inputs or
// extreme exponents needs thousands of bits. Inputs longer than 768 significant digits are cut to
// 768 digits plus one nonzero "sticky" digit when anything nonzero was cut: no halfway point
// between doubles has more than 768 significant digits, so the rounding cannot change.

import { alloc } from "../alloc";
import { formatI64 } from "./number";

/** Value of the last successful strtodBytes / parseDouble. */
export let parsedDouble: f64 = 0;
/** Range result of the last strtodBytes: 0 exact or rounded, 1 overflow to ±inf, 2 underflow to ±0. */
export let parsedRange: i32 = 0;

/**
 * Set by the last strtodBytes: the result underflowed in IEEE terms (tiny after rounding to 53
 * bits, and inexact), which is when glibc's strtod sets errno = ERANGE even though the value is
 * not 0 (e.g. "1e-310"). SORT rejects such scores; parsedRange only reports underflow to 0.
 */
export let parsedTinyInexact: bool = false;

export const RANGE_OK: i32 = 0;
export const RANGE_OVERFLOW: i32 = 1;
export const RANGE_UNDERFLOW: i32 = 2;

/** Significant decimal digits kept exactly (see the header). */
const MAX_DIGITS: i32 = 768;
const DIGITS_CAP: usize = 800;
const MAX_LIMBS: usize = 160;
const BIG_BYTES: usize = 4 + MAX_LIMBS * 4;
const BIG_A: usize = DIGITS_CAP;
const BIG_B: usize = BIG_A + BIG_BYTES;
const WORK_SIZE: usize = BIG_B + BIG_BYTES;

let work: usize = 0;

/** The instance's work block, or 0 when memory is exhausted. */
function workBlock(): usize {
  if (work == 0) work = alloc(WORK_SIZE);
  return work;
}

// ─── bignums ────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function bnLen(a: usize): u32 { return load<u32>(a); }
// @ts-ignore: decorator
@inline function limb(a: usize, i: u32): u32 { return load<u32>(a + 4 + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setLimb(a: usize, i: u32, v: u32): void { store<u32>(a + 4 + (<usize>i << 2), v); }

function bnSet(a: usize, v: u64): void {
  setLimb(a, 0, <u32>v);
  setLimb(a, 1, <u32>(v >> 32));
  store<u32>(a, v == 0 ? 0 : (v >> 32) != 0 ? 2 : 1);
}

/** a = a * m + add */
function bnMulAdd(a: usize, m: u32, add: u32): void {
  const n = bnLen(a);
  let carry: u64 = add;
  for (let i: u32 = 0; i < n; i++) {
    const t = <u64>limb(a, i) * <u64>m + carry;
    setLimb(a, i, <u32>t);
    carry = t >> 32;
  }
  if (carry != 0) { setLimb(a, n, <u32>carry); store<u32>(a, n + 1); }
}

/** a *= 5^n */
function bnMulPow5(a: usize, n: i32): void {
  while (n >= 13) { bnMulAdd(a, 1220703125, 0); n -= 13; } // 5^13 < 2^32
  let m: u32 = 1;
  while (n > 0) { m *= 5; n--; }
  if (m != 1) bnMulAdd(a, m, 0);
}

/** a <<= bits */
function bnShl(a: usize, bits: i32): void {
  const n = bnLen(a);
  if (n == 0 || bits <= 0) return;
  const words = <u32>(bits >> 5);
  const sh = <u32>(bits & 31);
  let top: u32 = n + words;
  if (sh != 0) {
    const over = limb(a, n - 1) >> (32 - sh);
    if (over != 0) { setLimb(a, n + words, over); top++; }
    for (let i = n - 1; i > 0; i--) setLimb(a, i + words, (limb(a, i) << sh) | (limb(a, i - 1) >> (32 - sh)));
    setLimb(a, words, limb(a, 0) << sh);
  } else {
    for (let i = n; i > 0; i--) setLimb(a, i - 1 + words, limb(a, i - 1));
  }
  for (let i: u32 = 0; i < words; i++) setLimb(a, i, 0);
  store<u32>(a, top);
}

/** a >>= 1 */
function bnShr1(a: usize): void {
  const n = bnLen(a);
  if (n == 0) return;
  for (let i: u32 = 0; i + 1 < n; i++) setLimb(a, i, (limb(a, i) >> 1) | (limb(a, i + 1) << 31));
  const t = limb(a, n - 1) >> 1;
  setLimb(a, n - 1, t);
  if (t == 0) store<u32>(a, n - 1);
}

function bnBitLen(a: usize): i32 {
  const n = bnLen(a);
  if (n == 0) return 0;
  return <i32>(n << 5) - <i32>clz<u32>(limb(a, n - 1));
}

function bnCmp(a: usize, b: usize): i32 {
  const na = bnLen(a), nb = bnLen(b);
  if (na != nb) return na > nb ? 1 : -1;
  for (let i = na; i > 0; i--) {
    const x = limb(a, i - 1), y = limb(b, i - 1);
    if (x != y) return x > y ? 1 : -1;
  }
  return 0;
}

/** a -= b (a >= b) */
function bnSub(a: usize, b: usize): void {
  const na = bnLen(a), nb = bnLen(b);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < na; i++) {
    let t = <i64>limb(a, i) - (i < nb ? <i64>limb(b, i) : 0) - borrow;
    borrow = t < 0 ? 1 : 0;
    if (t < 0) t += 0x100000000;
    setLimb(a, i, <u32>t);
  }
  let n = na;
  while (n > 0 && limb(a, n - 1) == 0) n--;
  store<u32>(a, n);
}

/** a /= d; returns the remainder. */
function bnDivSmall(a: usize, d: u32): u32 {
  let n = bnLen(a);
  let rem: u64 = 0;
  for (let i = n; i > 0; i--) {
    const cur = (rem << 32) | <u64>limb(a, i - 1);
    setLimb(a, i - 1, <u32>(cur / <u64>d));
    rem = cur % <u64>d;
  }
  while (n > 0 && limb(a, n - 1) == 0) n--;
  store<u32>(a, n);
  return <u32>rem;
}

// ─── building a double from binary digits ───────────────────────────────────────────────────

/**
 * Is (q + ε) × 2^e2 (see makeDouble) below the smallest normal double once rounded to 53 bits
 * with an unbounded exponent (IEEE "tininess after rounding", as on x86), and not exactly
 * representable as a double?
 */
function tinyInexact(q: u64, e2: i64, sticky: bool): bool {
  if (q == 0) return sticky;
  const nb = <i64>(64 - clz<u64>(q));
  // exponent of the leading bit after rounding to 53 significant bits
  let lead = nb - 1 + e2;
  if (nb > 53) {
    const d = nb - 53;
    const m = q >> <u64>d;
    const half = (q >> <u64>(d - 1)) & 1;
    const below = d > 1 && (q & ((<u64>1 << <u64>(d - 1)) - 1)) != 0;
    if (half != 0 && (below || sticky || (m & 1) != 0) && m == (<u64>1 << 53) - 1) lead++;
  }
  if (lead >= -1022) return false;
  // tiny: inexact when bits below 2^-1074 are lost (or digits beyond q were nonzero)
  if (sticky) return true;
  const keep = -1074 - e2; // low bits of q that fall below the subnormal unit
  return keep > 0 && (keep >= 64 || (q & ((<u64>1 << <u64>keep) - 1)) != 0);
}

/**
 * The double nearest to (q + ε) × 2^e2, where ε is 0 when !sticky and strictly between 0 and 1
 * (of q's last unit) when sticky; ties to even. Sets parsedRange on overflow / underflow to 0.
 */
function makeDouble(q: u64, e2: i64, sticky: bool, neg: bool): f64 {
  parsedRange = RANGE_OK;
  parsedTinyInexact = tinyInexact(q, e2, sticky);
  let mant: u64 = 0;
  if (q != 0) {
    const nb = <i64>(64 - clz<u64>(q));
    if (nb + e2 > 1100) { parsedRange = RANGE_OVERFLOW; return neg ? -Infinity : Infinity; }
    if (nb + e2 < -1200) { parsedRange = RANGE_UNDERFLOW; return neg ? -0.0 : 0.0; }
    let drop = nb - 53;
    if (e2 + drop < -1074) drop = -1074 - e2;
    if (drop <= 0) {
      mant = q << <u64>(-drop);
      e2 += drop;
    } else {
      let roundBit: u64 = 0;
      let rest = sticky;
      if (drop > 64) { rest = true; }
      else if (drop == 64) { roundBit = q >> 63; rest = rest || (q << 1) != 0; }
      else {
        mant = q >> <u64>drop;
        roundBit = (q >> <u64>(drop - 1)) & 1;
        if (drop > 1 && (q & ((<u64>1 << <u64>(drop - 1)) - 1)) != 0) rest = true;
      }
      if (roundBit != 0 && (rest || (mant & 1) != 0)) mant++;
      e2 += drop;
      if (mant == (<u64>1 << 53)) { mant >>= 1; e2++; }
    }
  }
  let bits: u64;
  if (mant == 0) {
    if (q != 0 || sticky) parsedRange = RANGE_UNDERFLOW;
    bits = 0;
  } else if (mant < (<u64>1 << 52)) {
    bits = mant; // subnormal: e2 is -1074 here
  } else {
    const biased = e2 + 1075;
    if (biased >= 2047) { parsedRange = RANGE_OVERFLOW; return neg ? -Infinity : Infinity; }
    bits = (<u64>biased << 52) | (mant & ((<u64>1 << 52) - 1));
  }
  if (neg) bits |= <u64>1 << 63;
  return reinterpret<f64>(bits);
}

// ─── parsing ────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool { return c == 0x20 || (c >= 0x09 && c <= 0x0D); }
// @ts-ignore: decorator
@inline function lower(c: u32): u32 { return c >= 0x41 && c <= 0x5A ? c + 32 : c; }

function hexValue(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  const l = lower(c);
  if (l >= 0x61 && l <= 0x66) return <i32>(l - 0x61 + 10);
  return -1;
}

/** Does [p+i, p+len) start with the lower-case ASCII word `w` (ignoring case)? */
function startsWithWord(p: usize, i: usize, len: usize, w: string): bool {
  const n = <usize>w.length;
  if (i + n > len) return false;
  for (let j: usize = 0; j < n; j++) {
    if (lower(<u32>load<u8>(p + i + j)) != <u32>load<u16>(changetype<usize>(w) + (j << 1))) return false;
  }
  return true;
}

/** Decimal exponent digits after 'e' at i (sign optional); saturates. -1 consumed if none. */
let expValue: i64 = 0;
function parseExponent(p: usize, i: usize, len: usize): usize {
  let j = i;
  let neg = false;
  if (j < len && (load<u8>(p + j) == 0x2B || load<u8>(p + j) == 0x2D)) { neg = load<u8>(p + j) == 0x2D; j++; }
  if (j >= len || <u32>load<u8>(p + j) - 0x30 > 9) return 0;
  let v: i64 = 0;
  while (j < len) {
    const d = <u32>load<u8>(p + j) - 0x30;
    if (d > 9) break;
    if (v < 100000000) v = v * 10 + <i64>d;
    j++;
  }
  expValue = neg ? -v : v;
  return j - i;
}

/**
 * glibc strtod over bytes [p, p+len) (the bytes after len count as the string's end). Returns the
 * number of bytes consumed (0: no conversion, as strtod's endptr == nptr); the value is in
 * parsedDouble and the range result in parsedRange.
 */
export function strtodBytes(p: usize, len: usize): usize {
  parsedDouble = 0;
  parsedRange = RANGE_OK;
  parsedTinyInexact = false;
  let i: usize = 0;
  while (i < len && isSpace(<u32>load<u8>(p + i))) i++;
  let neg = false;
  if (i < len && (load<u8>(p + i) == 0x2B || load<u8>(p + i) == 0x2D)) { neg = load<u8>(p + i) == 0x2D; i++; }
  if (i >= len) return 0;
  const c0 = lower(<u32>load<u8>(p + i));
  if (c0 == 0x69) { // i
    if (!startsWithWord(p, i, len, "inf")) return 0;
    i += 3;
    if (startsWithWord(p, i, len, "inity")) i += 5;
    parsedDouble = neg ? -Infinity : Infinity;
    return i;
  }
  if (c0 == 0x6E) { // n
    if (!startsWithWord(p, i, len, "nan")) return 0;
    i += 3;
    if (i < len && load<u8>(p + i) == 0x28) {
      // nan(n-char-sequence): letters, digits and '_' up to ')'
      let j = i + 1;
      while (j < len) {
        const c = <u32>load<u8>(p + j);
        if ((c >= 0x30 && c <= 0x39) || (lower(c) >= 0x61 && lower(c) <= 0x7A) || c == 0x5F) j++;
        else break;
      }
      if (j < len && load<u8>(p + j) == 0x29) i = j + 1;
    }
    parsedDouble = neg ? -NaN : NaN;
    return i;
  }
  if (c0 == 0x30 && i + 1 < len && lower(<u32>load<u8>(p + i + 1)) == 0x78) {
    const h = parseHex(p, i + 2, len, neg);
    if (h != 0) return h;
    // "0x" without hex digits: only the "0" converts
  }
  return parseDecimal(p, i, len, neg);
}

/** Hexadecimal body after "0x" at i; returns the end offset, or 0 when there is no hex digit. */
function parseHex(p: usize, i: usize, len: usize, neg: bool): usize {
  let mant: u64 = 0;
  let e2: i64 = 0;
  let sticky = false;
  let any = false;
  let started = false; // a nonzero digit was seen (leading zeros are not significant)
  let bitsUsed: i32 = 0;
  let seenPoint = false;
  let j = i;
  while (j < len) {
    const c = <u32>load<u8>(p + j);
    if (c == 0x2E && !seenPoint) { seenPoint = true; j++; continue; }
    const d = hexValue(c);
    if (d < 0) break;
    any = true;
    if (d != 0 || started) {
      started = true;
      if (bitsUsed <= 60) {
        mant = (mant << 4) | <u64>d;
        bitsUsed += 4;
        if (seenPoint) e2 -= 4;
      } else {
        if (d != 0) sticky = true;
        if (!seenPoint) e2 += 4;
      }
    } else if (seenPoint) e2 -= 4;
    j++;
  }
  if (!any) return 0;
  if (j < len && lower(<u32>load<u8>(p + j)) == 0x70) { // p
    const n = parseExponent(p, j + 1, len);
    if (n > 0) { e2 += expValue; j += 1 + n; }
  }
  parsedDouble = mant == 0 ? (neg ? -0.0 : 0.0) : makeDouble(mant, e2, sticky, neg);
  return j;
}

/** Decimal body at i (after sign); returns the end offset (0 when there is no digit). */
function parseDecimal(p: usize, start: usize, len: usize, neg: bool): usize {
  let i = start;
  let w: u64 = 0;       // first 19 significant digits
  let n: i32 = 0;       // significant digits seen (kept ones count towards E below)
  let kept: i32 = 0;    // digits stored in the work block (slow path), at most MAX_DIGITS
  let dropped: i64 = 0; // significant digits beyond MAX_DIGITS
  let truncNonzero = false;
  let frac: i64 = 0;    // digits after the point (all of them)
  let any = false;
  let seenPoint = false;
  let buf: usize = 0;
  while (i < len) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2E && !seenPoint) { seenPoint = true; i++; continue; }
    const d = c - 0x30;
    if (d > 9) break;
    any = true;
    if (seenPoint) frac++;
    if (d != 0 || n > 0) {
      if (n < 19) w = w * 10 + <u64>d;
      if (n == 19) {
        // long input: keep every digit for the exact path
        buf = workBlock();
        if (buf == 0) return 0;
        let t = w;
        for (let k = 18; k >= 0; k--) { store<u8>(buf + <usize>k, <u8>(t % 10)); t /= 10; }
        kept = 19;
      }
      if (n >= 19) {
        if (kept < MAX_DIGITS) { store<u8>(buf + <usize>kept, <u8>d); kept++; }
        else { dropped++; if (d != 0) truncNonzero = true; }
      }
      n++;
    }
    i++;
  }
  if (!any) return 0;
  if (i < len && lower(<u32>load<u8>(p + i)) == 0x65) { // e
    const k = parseExponent(p, i + 1, len);
    if (k > 0) {
      i += 1 + k;
      if (n > 0) frac -= expValue;
    }
  }
  if (n == 0) { parsedDouble = neg ? -0.0 : 0.0; return i; }
  // value = D × 10^E with D the significant digits kept
  let E: i64 = dropped - frac;
  const nd: i32 = n < 19 ? n : (n == 19 ? 19 : kept);
  if (nd <= 19) {
    // fast path (Clinger): exact operands give a correctly rounded result
    if (E == 0) { parsedDouble = neg ? -<f64>w : <f64>w; return i; }
    if (w <= (<u64>1 << 53) && E >= -22 && E <= 22) {
      let pw: f64 = 1;
      for (let k: i64 = 0; k < (E < 0 ? -E : E); k++) pw *= 10;
      const v = E > 0 ? <f64>w * pw : <f64>w / pw;
      parsedDouble = neg ? -v : v;
      return i;
    }
    buf = workBlock();
    if (buf == 0) return 0;
    let t = w;
    for (let k = nd - 1; k >= 0; k--) { store<u8>(buf + <usize>k, <u8>(t % 10)); t /= 10; }
  }
  let digits = nd;
  if (truncNonzero) { store<u8>(buf + <usize>digits, 1); digits++; E--; }
  if (<i64>digits + E > 310) { parsedRange = RANGE_OVERFLOW; parsedDouble = neg ? -Infinity : Infinity; return i; }
  if (<i64>digits + E < -324) { parsedRange = RANGE_UNDERFLOW; parsedDouble = neg ? -0.0 : 0.0; return i; }
  parsedDouble = exactDecimal(buf, digits, <i32>E, neg);
  return i;
}

/** The double nearest to D × 10^E, D given as `n` digit bytes at buf (see the header). */
function exactDecimal(buf: usize, n: i32, E: i32, neg: bool): f64 {
  const a = buf + BIG_A, b = buf + BIG_B;
  bnSet(a, 0);
  let k = 0;
  while (k < n) {
    let chunk: u32 = 0, mul: u32 = 1;
    for (let j = 0; j < 9 && k < n; j++, k++) { chunk = chunk * 10 + <u32>load<u8>(buf + <usize>k); mul *= 10; }
    bnMulAdd(a, mul, chunk);
  }
  bnSet(b, 1);
  if (E >= 0) { bnMulPow5(a, E); bnShl(a, E); }
  else { bnMulPow5(b, -E); bnShl(b, -E); }
  // V = a / b lies in [2^(bd-1), 2^(bd+1)) with bd the bit-length difference; scale so that
  // the quotient has 54 or 55 bits, then divide bit by bit
  const shift = 54 - (bnBitLen(a) - bnBitLen(b));
  if (shift > 0) bnShl(a, shift); else bnShl(b, -shift);
  bnShl(b, 55);
  let q: u64 = 0;
  for (let bit = 55; bit >= 0; bit--) {
    if (bnCmp(a, b) >= 0) { bnSub(a, b); q |= <u64>1 << <u64>bit; }
    bnShr1(b);
  }
  return makeDouble(q, -<i64>shift, bnLen(a) != 0, neg);
}

/**
 * Parse [p, p+len) as Redis 7.0's getDoubleFromObject does: the whole string must convert (no
 * leading space, no trailing bytes, not empty), overflow to ±inf and underflow to 0 are
 * rejected (the literals "inf"/"infinity" are fine), NaN is rejected. Value in parsedDouble.
 */
export function parseDouble(p: usize, len: usize): bool {
  if (len == 0 || isSpace(<u32>load<u8>(p))) return false;
  const used = strtodBytes(p, len);
  if (used != len) return false;
  if (parsedRange != RANGE_OK) return false;
  if (isNaN(parsedDouble)) return false;
  return true;
}

// ─── formatting ─────────────────────────────────────────────────────────────────────────────

function putLiteral(dst: usize, s: string): u32 {
  const n = <usize>s.length;
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(changetype<usize>(s) + (i << 1)));
  return <u32>n;
}

/**
 * Write v as C's printf("%.17g") does (glibc: exact value rounded half-even to 17 significant
 * digits, trailing zeros removed, exponent with at least two digits), except that infinities are
 * "inf"/"-inf" and NaN is "nan" as Redis writes them. Returns the length (at most 24 bytes).
 */
export function formatDouble17g(dst: usize, v: f64): u32 {
  if (isNaN(v)) return putLiteral(dst, "nan");
  if (!isFinite(v)) return putLiteral(dst, v > 0 ? "inf" : "-inf");
  let o: usize = 0;
  const bits = reinterpret<u64>(v);
  if ((bits >> 63) != 0) { store<u8>(dst, 0x2D); o = 1; v = -v; }
  if (v == 0) { store<u8>(dst + o, 0x30); return <u32>o + 1; }
  if (v < 9007199254740992.0 && v == Math.floor(v)) {
    return <u32>o + formatI64(dst + o, <i64>v);
  }
  // exact decimal digits of the value
  const buf = workBlock();
  if (buf == 0) return putLiteral(dst, "0");
  const exp = <i32>((bits >> 52) & 0x7FF);
  let mant = bits & ((<u64>1 << 52) - 1);
  let e2: i32;
  if (exp == 0) e2 = -1074; else { mant |= <u64>1 << 52; e2 = exp - 1075; }
  const a = buf + BIG_A;
  bnSet(a, mant);
  let decExp: i32 = 0;
  if (e2 >= 0) bnShl(a, e2);
  else { bnMulPow5(a, -e2); decExp = e2; }
  // digits of a, most significant first, into the digit area (written backwards, then used from `first`)
  let end: i32 = <i32>DIGITS_CAP;
  while (bnLen(a) != 0) {
    let chunk = bnDivSmall(a, 1000000000);
    const last = bnLen(a) == 0;
    for (let j = 0; j < 9; j++) {
      if (last && chunk == 0) break;
      end--;
      store<u8>(buf + <usize>end, <u8>(chunk % 10));
      chunk /= 10;
    }
  }
  const first = end;
  const n: i32 = <i32>DIGITS_CAP - first;
  let X = n - 1 + decExp; // v = d0.d1d2… × 10^X
  // round to 17 significant digits, half to even
  let sig: i32 = n < 17 ? n : 17;
  if (n > 17) {
    const r = <u32>load<u8>(buf + <usize>(first + 17));
    let up = r > 5;
    if (r == 5) {
      let rest = false;
      for (let j = first + 18; j < <i32>DIGITS_CAP; j++) if (load<u8>(buf + <usize>j) != 0) { rest = true; break; }
      up = rest || (load<u8>(buf + <usize>(first + 16)) & 1) != 0;
    }
    if (up) {
      let j = first + 16;
      while (j >= first && load<u8>(buf + <usize>j) == 9) { store<u8>(buf + <usize>j, 0); j--; }
      if (j >= first) store<u8>(buf + <usize>j, load<u8>(buf + <usize>j) + 1);
      else {
        // 99…9 rounded up: 1 followed by zeros, one decimal place higher
        store<u8>(buf + <usize>first, 1);
        for (let t = 1; t < 17; t++) store<u8>(buf + <usize>(first + t), 0);
        X++;
      }
    }
  }
  // drop trailing zeros of the significant digits (%g removes them)
  while (sig > 1 && load<u8>(buf + <usize>(first + sig - 1)) == 0) sig--;
  const d = buf + <usize>first;
  if (X < -4 || X >= 17) {
    store<u8>(dst + o, 0x30 + load<u8>(d)); o++;
    if (sig > 1) {
      store<u8>(dst + o, 0x2E); o++;
      for (let j = 1; j < sig; j++) { store<u8>(dst + o, 0x30 + load<u8>(d + <usize>j)); o++; }
    }
    store<u8>(dst + o, 0x65); o++;
    let ax = X;
    if (ax < 0) { store<u8>(dst + o, 0x2D); ax = -ax; } else store<u8>(dst + o, 0x2B);
    o++;
    if (ax < 10) { store<u8>(dst + o, 0x30); o++; }
    o += formatI64(dst + o, ax);
    return <u32>o;
  }
  if (X >= 0) {
    for (let j = 0; j <= X; j++) { store<u8>(dst + o, j < sig ? 0x30 + load<u8>(d + <usize>j) : 0x30); o++; }
    if (sig > X + 1) {
      store<u8>(dst + o, 0x2E); o++;
      for (let j = X + 1; j < sig; j++) { store<u8>(dst + o, 0x30 + load<u8>(d + <usize>j)); o++; }
    }
    return <u32>o;
  }
  store<u8>(dst + o, 0x30); store<u8>(dst + o + 1, 0x2E); o += 2;
  for (let j = -1; j > X; j--) { store<u8>(dst + o, 0x30); o++; }
  for (let j = 0; j < sig; j++) { store<u8>(dst + o, 0x30 + load<u8>(d + <usize>j)); o++; }
  return <u32>o;
}

/**
 * The text Redis 7.0's d2string gives a score stored in a listpack (what ZSCAN of a small zset
 * shows): an integral value within ±2^62 as a plain integer (so -0 becomes "0"), anything else
 * as %.17g. Returns the length.
 */
export function formatDoubleListpack(dst: usize, v: f64): u32 {
  if (!isNaN(v) && v >= -4611686018427387904.0 && v <= 4611686018427387904.0 && v == Math.floor(v)) {
    return formatI64(dst, <i64>v);
  }
  return formatDouble17g(dst, v);
}
