// Integer parsing and formatting over raw bytes, with Redis's exact rules.
//
// Owns: string2ll-style strict parsing (no '+', no spaces, no leading zeros, "-0" rejected,
// at most 20 characters) and decimal formatting into a caller's buffer. No allocation.

/** Result of the last successful parseI64 (AssemblyScript has no out-parameters). */
export let parsedI64: i64 = 0;

/** Parse bytes [p, p+len) as a signed 64-bit integer exactly as Redis's string2ll does. */
export function parseI64(p: usize, len: usize): bool {
  if (len == 0 || len > 20) return false;
  if (len == 1 && load<u8>(p) == 0x30) { parsedI64 = 0; return true; }
  let i: usize = 0;
  let neg = false;
  if (load<u8>(p) == 0x2D) {
    neg = true;
    i = 1;
    if (len == 1) return false;
  }
  let c = <u32>load<u8>(p + i) - 0x30;
  if (c < 1 || c > 9) return false;
  let v: u64 = c;
  i++;
  for (; i < len; i++) {
    c = <u32>load<u8>(p + i) - 0x30;
    if (c > 9) return false;
    if (v > 1844674407370955161) return false; // (2^64-1)/10: would overflow
    v *= 10;
    if (v > 0xFFFFFFFFFFFFFFFF - <u64>c) return false;
    v += c;
  }
  if (neg) {
    if (v > 0x8000000000000000) return false;
    parsedI64 = <i64>(0 - v);
  } else {
    if (v > 0x7FFFFFFFFFFFFFFF) return false;
    parsedI64 = <i64>v;
  }
  return true;
}

/** Number of decimal digits (with '-' sign) needed for v. */
export function decimalLength(v: i64): u32 {
  let n: u32 = 1;
  let u: u64;
  if (v < 0) { n = 2; u = <u64>(0 - v); } else u = <u64>v;
  while (u >= 10) { u /= 10; n++; }
  return n;
}

/** Write v in decimal at dst; returns bytes written (at most 20). */
export function formatI64(dst: usize, v: i64): u32 {
  const len = decimalLength(v);
  let u: u64;
  let start: usize = 0;
  if (v < 0) { store<u8>(dst, 0x2D); u = <u64>(0 - v); start = 1; } else u = <u64>v;
  let i = <usize>len;
  while (i > start) {
    i--;
    store<u8>(dst + i, <u8>(0x30 + <u32>(u % 10)));
    u /= 10;
  }
  return len;
}

/** Does [p, p+len) parse as an integer that Redis would store with OBJ_ENCODING_INT? */
export function looksLikeInt(p: usize, len: usize): bool {
  return len <= 20 && parseI64(p, len);
}
