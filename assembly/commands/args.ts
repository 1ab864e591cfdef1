// Argument helpers shared by the command families: the current command's arguments, case-
// insensitive option matching, integer arguments with Redis's error replies, and the common
// error texts. State here is per engine instance and per command (set by run.ts).

import { argPtr, argLen } from "../resp/parser";
import { parseI64, parsedI64 } from "../util/number";
import { writeError, writeErrorLits } from "../resp/writer";

export { argPtr, argLen };

/** Number of arguments of the command being executed (including the name). */
export let cmdArgc: i32 = 0;
/** Database index and address of the connection running the command. */
export let curDbIndex: i32 = 0;
export let curDb: usize = 0;
/** This instance's scratch bytes (the worker region's scratch buffer, ≥ 4 KiB). */
export let scratch: usize = 0;
export function setScratch(p: usize): void { scratch = p; }

/** Writes performed by the batch (INFO's dirty counter / persistence later). */
export let dirty: u64 = 0;

export function setCommandContext(argc: i32, dbIndex: i32, db: usize): void {
  cmdArgc = argc; curDbIndex = dbIndex; curDb = db;
}
export function setCurrentDb(dbIndex: i32, db: usize): void { curDbIndex = dbIndex; curDb = db; }
export function addDirty(n: u64): void { dirty += n; }
export function takeDirty(): u64 { const d = dirty; dirty = 0; return d; }

/** Do bytes [p, p+len) equal the ASCII literal `lit` ignoring case? `lit` must be lower-case. */
export function bytesEqualNoCase(p: usize, len: usize, lit: string): bool {
  if (len != <usize>lit.length) return false;
  const l = changetype<usize>(lit);
  for (let j: usize = 0; j < len; j++) {
    let c = <u32>load<u8>(p + j);
    if (c >= 0x41 && c <= 0x5A) c += 32;
    if (c != <u32>load<u16>(l + (j << 1))) return false;
  }
  return true;
}

/** Does argument i equal the ASCII literal `lit` ignoring case? `lit` must be lower-case. */
export function argIs(i: i32, lit: string): bool {
  return bytesEqualNoCase(argPtr(i), argLen(i), lit);
}

/** Length of argument i up to its first NUL byte (where Redis's C-string functions stop). */
export function argCStrLen(i: i32): usize {
  const p = argPtr(i), n = argLen(i);
  for (let j: usize = 0; j < n; j++) if (load<u8>(p + j) == 0) return j;
  return n;
}

/** Does argument i read as a C string (up to its first NUL) equal `lit` ignoring case (strcasecmp)? */
export function argIsCStr(i: i32, lit: string): bool {
  return bytesEqualNoCase(argPtr(i), argCStrLen(i), lit);
}

/** Parsed value of the last successful argI64 call. */
export let argValue: i64 = 0;

/** Parse argument i as a 64-bit integer; on failure replies with Redis's error and returns false. */
export function argI64(i: i32): bool {
  if (!parseI64(argPtr(i), argLen(i))) { writeError(ERR_NOT_INT); return false; }
  argValue = parsedI64;
  return true;
}

/** Parse argument i as a 32-bit int (getIntFromObjectOrReply). */
export function argI32(i: i32): bool {
  if (!parseI64(argPtr(i), argLen(i)) || parsedI64 < -2147483648 || parsedI64 > 2147483647) {
    writeError(ERR_NOT_INT);
    return false;
  }
  argValue = parsedI64;
  return true;
}

export const ERR_NOT_INT = "ERR value is not an integer or out of range";
export const ERR_SYNTAX = "ERR syntax error";
export const ERR_WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
export const ERR_NO_SUCH_KEY = "ERR no such key";
export const ERR_SAME_OBJECT = "ERR source and destination objects are the same";
export const ERR_DB_RANGE = "ERR DB index is out of range";
export const ERR_OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** "ERR wrong number of arguments for '<name>' command" with the name given as a literal. */
export function writeArityError(name: string): void {
  writeErrorLit2("ERR wrong number of arguments for '", name, "' command");
}

/** "ERR invalid expire time in '<name>' command" */
export function writeExpireTimeError(name: string): void {
  writeErrorLit2("ERR invalid expire time in '", name, "' command");
}

/** Error made of three literals (no argument bytes). */
export function writeErrorLit2(a: string, b: string, c: string): void { writeErrorLits(a, b, c); }

/** Result of argTimeout: the timeout in ms, 0 = wait forever. */
export let argTimeoutMs: i64 = 0;

// @ts-ignore: decorator
@inline function lower(c: u32): u32 { return c >= 0x41 && c <= 0x5A ? c + 32 : c; }

/**
 * A blocking command's timeout argument (seconds, fractional) as Redis 7.0 reads it: the text
 * must be a whole number for strtold (decimal or hex, inf and nan included, no spaces, shorter
 * than 5120 bytes), representable as an x87 long double (beyond ±1.18973e4932 it overflows, and
 * a non-zero value that rounds to zero — below about 1.82e-4951 — underflows: both are "not a
 * float"), and the wait is ceil(seconds × 1000) ms converted to a 64-bit integer, where values
 * too large for one become negative, as on x86. So "-0.0001" waits forever, "0.0001" waits 1 ms
 * and "inf" is negative. Decimal inputs are evaluated exactly (long double rounding of inputs
 * with 20+ significant digits is not modelled). Replies the error and returns false.
 */
export function argTimeout(ai: i32): bool {
  const p = argPtr(ai);
  const n = argLen(ai);
  if (n >= 5120) { writeError("ERR timeout is not a float or out of range"); return false; }
  let i: usize = 0;
  let neg = false;
  if (n > 0 && (load<u8>(p) == 0x2B || load<u8>(p) == 0x2D)) { neg = load<u8>(p) == 0x2D; i = 1; }
  const rest = n - i;
  // inf / infinity / nan
  if (rest >= 3) {
    const a = lower(load<u8>(p + i)), b = lower(load<u8>(p + i + 1)), c = lower(load<u8>(p + i + 2));
    if (a == 0x69 && b == 0x6E && c == 0x66 && (rest == 3 || (rest == 8 && bytesEqualNoCase(p + i, 8, "infinity")))) {
      writeError("ERR timeout is negative");
      return false;
    }
  }
  // hexadecimal: 0x digits [. digits] [p exponent]; value = v × 2^scale
  if (rest > 2 && load<u8>(p + i) == 0x30 && lower(load<u8>(p + i + 1)) == 0x78) {
    let v: f64 = 0;
    let j = i + 2;
    let digits = 0;
    let scale: i64 = 0;
    let dot = false;
    let inexact = false; // digits dropped below v's precision
    for (; j < n; j++) {
      const c = lower(load<u8>(p + j));
      let d: i32 = -1;
      if (c >= 0x30 && c <= 0x39) d = <i32>c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = <i32>c - 0x61 + 10;
      else if (c == 0x2E && !dot) { dot = true; continue; }
      else break;
      digits++;
      if (v >= 4503599627370496.0) { // 2^52: further digits only move the exponent
        if (d != 0) inexact = true;
        if (!dot) scale += 4;
        continue;
      }
      v = v * 16 + <f64>d;
      if (dot) scale -= 4;
    }
    if (digits > 0 && j < n && lower(load<u8>(p + j)) == 0x70) {
      let k = j + 1;
      let eneg = false;
      if (k < n && (load<u8>(p + k) == 0x2B || load<u8>(p + k) == 0x2D)) { eneg = load<u8>(p + k) == 0x2D; k++; }
      let e: i64 = 0;
      const start = k;
      while (k < n && load<u8>(p + k) >= 0x30 && load<u8>(p + k) <= 0x39) { if (e < 1000000) e = e * 10 + <i64>(load<u8>(p + k) - 0x30); k++; }
      if (k > start) { scale += eneg ? -e : e; j = k; }
    }
    if (digits == 0 || j != n) { writeError("ERR timeout is not a float or out of range"); return false; }
    if (v == 0) { argTimeoutMs = 0; return true; }
    // binary exponent of the value: v in [2^top, 2^(top+1))
    let top: i64 = 0;
    let m = v;
    while (m >= 2) { m /= 2; top++; }
    const e2 = top + scale;
    const pow2 = m == 1 && !inexact;
    // long double: largest finite below 2^16384; smallest subnormal 2^-16445, and a value at or
    // below half of it (2^-16446, ties to even) rounds to zero
    if (e2 >= 16384 || e2 < -16446 || (e2 == -16446 && pow2)) {
      writeError("ERR timeout is not a float or out of range");
      return false;
    }
    if (e2 > 100) { writeError("ERR timeout is negative"); return false; } // ≥ 2^63 ms either way
    if (e2 < -100) { argTimeoutMs = neg ? 0 : 1; return true; }         // ceil of ±tiny ms
    return timeoutFromF64(neg ? -v * Math.pow(2, <f64>scale) : v * Math.pow(2, <f64>scale));
  }
  // decimal: digits [. digits] [e exponent], at least one digit
  let j = i;
  let sig: i32 = 0;          // significant digits seen (after leading zeros)
  let intDigits: i32 = 0;    // significant digits before the point
  let leadFracZeros: i32 = 0; // zeros after the point before the first significant digit
  let anyDigit = false;
  let dot = false;
  // first 19 significant digits, and whether any later digit is non-zero
  let head: u64 = 0;
  let headLen: i32 = 0;
  let tailNonZero = false;
  for (; j < n; j++) {
    const c = <u32>load<u8>(p + j);
    if (c == 0x2E && !dot) { dot = true; continue; }
    if (c < 0x30 || c > 0x39) break;
    anyDigit = true;
    const d = c - 0x30;
    if (sig == 0 && d == 0) { if (dot) leadFracZeros++; continue; }
    sig++;
    if (!dot) intDigits++;
    if (headLen < 19) { head = head * 10 + <u64>d; headLen++; } else if (d != 0) tailNonZero = true;
  }
  if (!anyDigit) { writeError("ERR timeout is not a float or out of range"); return false; }
  const mantEnd = j;
  let exp: i64 = 0;
  if (j < n && lower(load<u8>(p + j)) == 0x65) {
    let k = j + 1;
    let eneg = false;
    if (k < n && (load<u8>(p + k) == 0x2B || load<u8>(p + k) == 0x2D)) { eneg = load<u8>(p + k) == 0x2D; k++; }
    const start = k;
    while (k < n && load<u8>(p + k) >= 0x30 && load<u8>(p + k) <= 0x39) { if (exp < 1000000) exp = exp * 10 + <i64>(load<u8>(p + k) - 0x30); k++; }
    if (k > start) { if (eneg) exp = -exp; j = k; }
  }
  if (j != n) { writeError("ERR timeout is not a float or out of range"); return false; }
  if (sig == 0) { argTimeoutMs = 0; return true; }
  // value = 0.D × 10^pointPos seconds with D the significant digits
  const secPos: i64 = (intDigits > 0 ? <i64>intDigits : -<i64>leadFracZeros) + exp;
  // long double range: overflow above 0.1189731495357231765…e4933 (rounds to infinity), and
  // underflow to zero at or below 0.1822599765941237301…e-4950 (half the smallest subnormal)
  let d19 = head;
  for (let t = headLen; t < 19; t++) d19 *= 10;
  if (secPos > 4933 || (secPos == 4933 && (d19 > 1189731495357231765 || (d19 == 1189731495357231765 && tailNonZero)))) {
    writeError("ERR timeout is not a float or out of range");
    return false;
  }
  if (secPos < -4950 || (secPos == -4950 && (d19 < 1822599765941237301 || (d19 == 1822599765941237301 && !tailNonZero)))) {
    writeError("ERR timeout is not a float or out of range");
    return false;
  }
  // ms = value × 1000
  const pointPos: i64 = secPos + 3;
  if (pointPos > 19) { writeError("ERR timeout is negative"); return false; } // ≥ 2^63 ms
  // integer part: the first pointPos significant digits (zero-padded), fraction: the rest
  let ip: u64 = 0;
  let frac = tailNonZero;
  if (pointPos > 0) {
    const take = <i32>pointPos;
    if (take <= headLen) {
      let div: u64 = 1;
      for (let t = take; t < headLen; t++) div *= 10;
      ip = head / div;
      if (head % div != 0) frac = true;
    } else {
      ip = head;
      for (let t = headLen; t < take; t++) ip *= 10; // (take ≤ 19, so every digit was kept)
    }
  } else frac = true;
  // Redis computes ceil(x × 1000) in long doubles: x rounded to a 64-bit significand, the product
  // rounded again. That rounding decides the two observable boundaries, which sit a hair away from
  // the exact ones: a negative x is an error once x × 1000 rounds to -1 or below (|x| ≥ T_NEG, so
  // "-0.001" itself waits forever), a positive x once the product's ceiling passes 2^63 - 1
  // (x > T_POS). Both thresholds are exact decimals of long-double rounding midpoints.
  if (neg) {
    if (cmpMagnitude(p, i, mantEnd, secPos, T_NEG_DIGITS, T_NEG_POS) >= 0) { writeError("ERR timeout is negative"); return false; }
    argTimeoutMs = 0; // ceil of a value in (-1, 0) is 0: no timeout
    return true;
  }
  if (cmpMagnitude(p, i, mantEnd, secPos, T_POS_DIGITS, T_POS_POS) > 0) { writeError("ERR timeout is negative"); return false; }
  let ms = ip + (frac ? 1 : 0);
  if (ms > <u64>9223372036854775807) ms = <u64>9223372036854775807; // rounded down by the long double
  argTimeoutMs = <i64>ms;
  return true;
}

// |x| ≥ 0.100000000000000000001143494478793305457742235375917516648769378662109375e-2 rounds (as a
// long double, times 1000, rounded) to 1 or more; x > 0.922337203685477580712890625e16 gives a
// product whose ceiling is 2^63 or more.
const T_NEG_DIGITS = "100000000000000000001143494478793305457742235375917516648769378662109375";
const T_NEG_POS: i64 = -2;
const T_POS_DIGITS = "922337203685477580712890625";
const T_POS_POS: i64 = 16;

/**
 * Compare the magnitude of the decimal mantissa at [p+from, p+to) (digits with at most one '.'),
 * scaled so that it reads 0.DIGITS × 10^pos, with 0.`digits` × 10^`tpos`: -1, 0 or 1. Both are
 * non-zero with a non-zero first digit.
 */
function cmpMagnitude(p: usize, from: usize, to: usize, pos: i64, digits: string, tpos: i64): i32 {
  if (pos != tpos) return pos < tpos ? -1 : 1;
  const dl = digits.length;
  let k = 0;
  let started = false;
  for (let j = from; j < to; j++) {
    const c = <i32>load<u8>(p + j);
    if (c == 0x2E || (!started && c == 0x30)) continue;
    started = true;
    const t = k < dl ? digits.charCodeAt(k) : 0x30;
    if (c != t) return c < t ? -1 : 1;
    k++;
  }
  for (; k < dl; k++) if (digits.charCodeAt(k) != 0x30) return -1;
  return 0;
}

/** ceil(v × 1000) as a 64-bit integer, with the same out-of-range and sign rules as argTimeout. */
function timeoutFromF64(v: f64): bool {
  const x = Math.ceil(v * 1000);
  if (!(x < 9223372036854775807.0) || x <= -1) { writeError("ERR timeout is negative"); return false; }
  argTimeoutMs = x <= 0 ? 0 : <i64>x;
  return true;
}
