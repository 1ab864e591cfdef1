// Bitmap commands over string values: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.
//
// Owns nothing in memory: a bitmap is an ordinary string value (keyspace.ts), addressed bit by
// bit with bit 0 the most significant bit of byte 0. Writers grow the string with zero bytes
// (growString) up to proto-max-bulk-len and leave it "raw" encoded, as Redis's
// lookupStringForBitCommand / dbUnshareStringValue do. Replies and argument-check order follow
// Redis 7.0's bitops.c (which error a client sees first matters).
//
//  Bit numbering inside the string value
//  ┌────────────── byte 0 ──────────────┬────────────── byte 1 ──────────────┬──
//  │ bit 0 (0x80) … bit 7 (0x01)        │ bit 8 (0x80) … bit 15 (0x01)       │ …
//  └────────────────────────────────────┴────────────────────────────────────┴──
//  BITFIELD integers are read and written most significant bit first from their offset.

import {
  lookup, lookupRead, setString, growString, deleteKey, entryType, entryVal, entryValLen, T_STRING, E_VLEN,
  ENC_RAW,
} from "../keyspace";
import { alloc, free } from "../alloc";
import { writeInt, writeNull, writeError, writeArrayLen } from "../resp/writer";
import {
  argPtr, argLen, cmdArgc, curDb, addDirty, argCStrLen, argIsCStr, ERR_WRONGTYPE, ERR_OOM, ERR_SYNTAX,
  ERR_NOT_INT,
} from "./args";
import { parseI64, parsedI64 } from "../util/number";
import { setStringEncoding } from "./strings";
import { notifyKeyspaceEvent, NOTIFY_STRING, NOTIFY_GENERIC } from "../notify";
import { signalModifiedKey } from "../watch";

/** Key arg ki was changed by `event` (class $): WATCH signal and keyspace event. */
function bitsModified(ki: i32, event: string): void {
  signalModifiedKey(curDb, argPtr(ki), argLen(ki));
  notifyKeyspaceEvent(NOTIFY_STRING, event, argPtr(ki), argLen(ki), curDb);
}
import { configProtoMaxBulkLen } from "../config";

const ERR_BIT_OFFSET = "ERR bit offset is not an integer or out of range";
const ERR_BIT_VALUE = "ERR bit is not an integer or out of range";
const ERR_BITFIELD_TYPE =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

// ─── shared helpers ─────────────────────────────────────────────────────────────────────────

/** Result of parseBitOffset. */
let bitOffset: u64 = 0;

/**
 * Parse argument ai as a bit offset (Redis's getBitOffsetFromArgument): a non-negative integer
 * whose byte lies below proto-max-bulk-len; with `hash` and `bits > 0`, "#n" means n * bits
 * (the product wraps like Redis's, then the same range check applies). Replies on error.
 */
function parseBitOffset(ai: i32, hash: bool, bits: i32): bool {
  let p = argPtr(ai), n = argLen(ai);
  const useHash = hash && bits > 0 && n > 0 && load<u8>(p) == 0x23;
  if (useHash) { p++; n--; }
  if (!parseI64(p, n)) { writeError(ERR_BIT_OFFSET); return false; }
  let off = parsedI64;
  if (useHash) off = off * <i64>bits;
  if (off < 0 || (off >> 3) >= configProtoMaxBulkLen()) { writeError(ERR_BIT_OFFSET); return false; }
  bitOffset = <u64>off;
  return true;
}

/** Set by stringForBitWrite: whether the string was created or grew. */
let bitGrew: bool = false;

/**
 * The string at key arg 1 made long enough to address bit `maxbit` (created or zero-padded),
 * encoding left "raw". Returns the entry, or 0 after replying WRONGTYPE / OOM.
 */
function stringForBitWrite(maxbit: u64): usize {
  const need = <usize>(maxbit >> 3) + 1;
  let e = lookup(curDb, argPtr(1), argLen(1));
  bitGrew = false;
  if (e != 0 && entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return 0; }
  if (e == 0) {
    e = setString(curDb, argPtr(1), argLen(1), 0, need, false);
    if (e == 0) { writeError(ERR_OOM); return 0; }
    memory.fill(entryVal(e), 0, need);
    bitGrew = true;
  } else {
    const old = entryValLen(e);
    if (need > old) {
      e = growString(curDb, e, need);
      if (e == 0) { writeError(ERR_OOM); return 0; }
      memory.fill(entryVal(e) + old, 0, need - old);
      store<u32>(e + E_VLEN, <u32>need);
      bitGrew = true;
    }
  }
  setStringEncoding(e, ENC_RAW);
  return e;
}

/**
 * The string at key arg ki for reading: the entry, 0 when missing, or -1 after replying
 * WRONGTYPE.
 */
function stringForBitRead(ki: i32): isize {
  const e = lookupRead(curDb, argPtr(ki), argLen(ki));
  if (e == 0) return 0;
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return -1; }
  return <isize>e;
}

/** Number of bits set in bytes [p, p+n). */
function popcount(p: usize, n: usize): i64 {
  let count: i64 = 0;
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) count += <i64>popcnt<u64>(load<u64>(p + i));
  for (; i < n; i++) count += <i64>popcnt<u32>(<u32>load<u8>(p + i));
  return count;
}

/**
 * Position of the first bit equal to `bit` in bytes [p, p+n), counting from the most significant
 * bit of the first byte. None found: -1 when looking for a 1, n*8 when looking for a 0 (the
 * bytes to the right count as zeros), as Redis's redisBitpos.
 */
function firstBit(p: usize, n: usize, bit: i32): i64 {
  const skip: u32 = bit != 0 ? 0x00 : 0xFF;
  let i: usize = 0;
  const skip64: u64 = bit != 0 ? 0 : 0xFFFFFFFFFFFFFFFF;
  while (i + 8 <= n && load<u64>(p + i) == skip64) i += 8;
  while (i < n && <u32>load<u8>(p + i) == skip) i++;
  if (i == n) return bit != 0 ? -1 : <i64>n << 3;
  let b = <u32>load<u8>(p + i);
  if (bit == 0) b = ~b & 0xFF;
  return (<i64>i << 3) + <i64>(clz<u32>(b) - 24);
}

// ─── SETBIT / GETBIT ────────────────────────────────────────────────────────────────────────

/** SETBIT key offset value */
export function setbitCommand(): void {
  if (!parseBitOffset(2, false, 0)) return;
  const offset = bitOffset;
  if (!parseI64(argPtr(3), argLen(3)) || (parsedI64 & ~1) != 0) { writeError(ERR_BIT_VALUE); return; }
  const on = <u32>parsedI64;
  const e = stringForBitWrite(offset);
  if (e == 0) return;
  const addr = entryVal(e) + <usize>(offset >> 3);
  const shift = 7 - <u32>(offset & 7);
  const byte = <u32>load<u8>(addr);
  const old = (byte >> shift) & 1;
  if (bitGrew || old != on) {
    store<u8>(addr, <u8>((byte & ~(1 << shift)) | (on << shift)));
    bitsModified(1, "setbit");
    addDirty(1);
  }
  writeInt(<i64>old);
}

/** GETBIT key offset */
export function getbitCommand(): void {
  if (!parseBitOffset(2, false, 0)) return;
  const r = stringForBitRead(1);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const e = <usize>r;
  const byte = <usize>(bitOffset >> 3);
  let v: u32 = 0;
  if (byte < entryValLen(e)) v = (<u32>load<u8>(entryVal(e) + byte) >> (7 - <u32>(bitOffset & 7))) & 1;
  writeInt(<i64>v);
}

// ─── BITCOUNT / BITPOS ──────────────────────────────────────────────────────────────────────

/** Parse BYTE|BIT at argument ai into `rangeIsBit`; replies syntax error and returns false. */
let rangeIsBit: bool = false;
function parseRangeUnit(ai: i32): bool {
  if (argIsCStr(ai, "bit")) rangeIsBit = true;
  else if (argIsCStr(ai, "byte")) rangeIsBit = false;
  else { writeError(ERR_SYNTAX); return false; }
  return true;
}

/** Result of byteRange: first and last byte, and the masks of edge bits outside a BIT range. */
let rangeStart: i64 = 0;
let rangeEnd: i64 = 0;
let rangeFirstMask: u32 = 0;
let rangeLastMask: u32 = 0;

/**
 * BITCOUNT/BITPOS start and end (in the unit rangeIsBit says) over a string of `strlen` bytes, as
 * Redis clamps them: negative from the end, then into the string. A BIT range becomes bytes plus
 * masks of the bits of its first and last byte that lie outside it.
 */
function byteRange(start: i64, end: i64, strlen: i64): void {
  const total = rangeIsBit ? strlen << 3 : strlen;
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  rangeFirstMask = 0;
  rangeLastMask = 0;
  if (rangeIsBit && start <= end) {
    rangeFirstMask = ~((1 << (8 - <u32>(start & 7))) - 1) & 0xFF;
    rangeLastMask = (1 << (7 - <u32>(end & 7))) - 1;
    start >>= 3;
    end >>= 3;
  }
  rangeStart = start;
  rangeEnd = end;
}

/** BITCOUNT key [start end [BYTE|BIT]] */
export function bitcountCommand(): void {
  const r = stringForBitRead(1);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const e = <usize>r;
  const p = entryVal(e);
  const strlen = <i64>entryValLen(e);
  let start: i64 = 0, end: i64 = 0;
  let firstMask: u32 = 0, lastMask: u32 = 0;
  if (cmdArgc == 4 || cmdArgc == 5) {
    const total = strlen;
    if (!parseI64(argPtr(2), argLen(2))) { writeError(ERR_NOT_INT); return; }
    start = parsedI64;
    if (!parseI64(argPtr(3), argLen(3))) { writeError(ERR_NOT_INT); return; }
    end = parsedI64;
    // both negative and inverted: empty, decided before the unit is even looked at
    if (start < 0 && end < 0 && start > end) { writeInt(0); return; }
    rangeIsBit = false;
    if (cmdArgc == 5 && !parseRangeUnit(4)) return;
    byteRange(start, end, total);
    start = rangeStart; end = rangeEnd; firstMask = rangeFirstMask; lastMask = rangeLastMask;
  } else if (cmdArgc == 2) {
    start = 0;
    end = strlen - 1;
  } else {
    writeError(ERR_SYNTAX);
    return;
  }
  if (start > end) { writeInt(0); return; }
  let count = popcount(p + <usize>start, <usize>(end - start + 1));
  if (firstMask != 0) count -= <i64>popcnt<u32>(<u32>load<u8>(p + <usize>start) & firstMask);
  if (lastMask != 0) count -= <i64>popcnt<u32>(<u32>load<u8>(p + <usize>end) & lastMask);
  writeInt(count);
}

/** BITPOS key bit [start [end [BYTE|BIT]]] */
export function bitposCommand(): void {
  if (!parseI64(argPtr(2), argLen(2))) { writeError(ERR_NOT_INT); return; }
  if (parsedI64 != 0 && parsedI64 != 1) { writeError("ERR The bit argument must be 1 or 0."); return; }
  const bit = <i32>parsedI64;
  const e = lookupRead(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeInt(bit != 0 ? -1 : 0); return; }
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
  const p = entryVal(e);
  const strlen = <i64>entryValLen(e);
  let start: i64 = 0, end: i64 = 0;
  let endGiven = false;
  let firstMask: u32 = 0, lastMask: u32 = 0;
  if (cmdArgc >= 4 && cmdArgc <= 6) {
    const total = strlen;
    if (!parseI64(argPtr(3), argLen(3))) { writeError(ERR_NOT_INT); return; }
    start = parsedI64;
    rangeIsBit = false;
    // the unit is checked before the end is parsed
    if (cmdArgc == 6 && !parseRangeUnit(5)) return;
    if (cmdArgc >= 5) {
      if (!parseI64(argPtr(4), argLen(4))) { writeError(ERR_NOT_INT); return; }
      end = parsedI64;
      endGiven = true;
    } else {
      end = rangeIsBit ? (total << 3) + 7 : total - 1;
    }
    byteRange(start, end, total);
    start = rangeStart; end = rangeEnd; firstMask = rangeFirstMask; lastMask = rangeLastMask;
  } else if (cmdArgc == 3) {
    start = 0;
    end = strlen - 1;
  } else {
    writeError(ERR_SYNTAX);
    return;
  }
  if (start > end) { writeInt(-1); return; }
  // the search runs in up to three parts (masked first byte, whole bytes, masked last byte);
  // `bytes` is what is left of the range when the answer is found, as Redis counts it
  let bytes = end - start + 1;
  let pos: i64 = -1;
  let done = false;
  if (firstMask != 0) {
    let c = <u32>load<u8>(p + <usize>start);
    c = bit != 0 ? c & ~firstMask & 0xFF : c | firstMask;
    if (lastMask != 0 && bytes == 1) c = bit != 0 ? c & ~lastMask & 0xFF : c | lastMask;
    pos = firstBitOfByte(c, bit);
    if (bytes == 1 || (pos != -1 && pos != 8)) done = true;
    else { start++; bytes--; }
  }
  if (!done) {
    const cur = bytes - (lastMask != 0 ? 1 : 0);
    if (cur > 0) {
      pos = firstBit(p + <usize>start, <usize>cur, bit);
      if (bytes == cur || (pos != -1 && pos != cur << 3)) done = true;
      else { start += cur; bytes -= cur; }
    }
  }
  if (!done) {
    let c = <u32>load<u8>(p + <usize>end);
    c = bit != 0 ? c & ~lastMask & 0xFF : c | lastMask;
    pos = firstBitOfByte(c, bit);
  }
  // looking for a 0 inside an explicit range and reaching its end: there is none
  if (endGiven && bit == 0 && pos == bytes << 3) { writeInt(-1); return; }
  if (pos != -1) pos += start << 3;
  writeInt(pos);
}

/** firstBit() over the single byte c. */
function firstBitOfByte(c: u32, bit: i32): i64 {
  const b = bit != 0 ? c : ~c & 0xFF;
  if (b == 0) return bit != 0 ? -1 : 8;
  return <i64>(clz<u32>(b) - 24);
}

// ─── BITOP ──────────────────────────────────────────────────────────────────────────────────

const OP_AND = 0;
const OP_OR = 1;
const OP_XOR = 2;
const OP_NOT = 3;

/** BITOP AND|OR|XOR|NOT destkey key [key ...] */
export function bitopCommand(): void {
  let op: i32;
  if (argIsCStr(1, "and")) op = OP_AND;
  else if (argIsCStr(1, "or")) op = OP_OR;
  else if (argIsCStr(1, "xor")) op = OP_XOR;
  else if (argIsCStr(1, "not")) op = OP_NOT;
  else { writeError(ERR_SYNTAX); return; }
  if (op == OP_NOT && cmdArgc != 4) { writeError("ERR BITOP NOT must be called with a single source key."); return; }
  // first pass: type checks and the result length (missing keys are empty strings)
  let maxlen: usize = 0;
  for (let i = 3; i < cmdArgc; i++) {
    const r = stringForBitRead(i);
    if (r < 0) return;
    if (r != 0 && entryValLen(<usize>r) > maxlen) maxlen = entryValLen(<usize>r);
  }
  if (maxlen == 0) {
    if (deleteKey(curDb, argPtr(2), argLen(2))) {
      addDirty(1);
      signalModifiedKey(curDb, argPtr(2), argLen(2));
      notifyKeyspaceEvent(NOTIFY_GENERIC, "del", argPtr(2), argLen(2), curDb);
    }
    writeInt(0);
    return;
  }
  const res = alloc(maxlen);
  if (res == 0) { writeError(ERR_OOM); return; }
  // second pass: combine key by key into res; bytes past a key's end count as zeros
  for (let i = 3; i < cmdArgc; i++) {
    const e = lookup(curDb, argPtr(i), argLen(i));
    const len = e != 0 ? entryValLen(e) : 0;
    const src = e != 0 ? entryVal(e) : 0;
    if (i == 3) {
      if (len > 0) memory.copy(res, src, len);
      memory.fill(res + len, 0, maxlen - len);
      if (op == OP_NOT) {
        let j: usize = 0;
        for (; j + 8 <= maxlen; j += 8) store<u64>(res + j, ~load<u64>(res + j));
        for (; j < maxlen; j++) store<u8>(res + j, ~load<u8>(res + j));
      }
      continue;
    }
    combine(res, src, len, maxlen, op);
  }
  const d = setString(curDb, argPtr(2), argLen(2), res, maxlen, false);
  free(res);
  if (d == 0) { writeError(ERR_OOM); return; }
  setStringEncoding(d, ENC_RAW);
  bitsModified(2, "set");
  addDirty(1);
  writeInt(<i64>maxlen);
}

/** res[0..total) op= src[0..len) with src zero-padded to total. */
function combine(res: usize, src: usize, len: usize, total: usize, op: i32): void {
  let j: usize = 0;
  if (op == OP_AND) {
    for (; j + 8 <= len; j += 8) store<u64>(res + j, load<u64>(res + j) & load<u64>(src + j));
    for (; j < len; j++) store<u8>(res + j, load<u8>(res + j) & load<u8>(src + j));
    memory.fill(res + len, 0, total - len);
  } else if (op == OP_OR) {
    for (; j + 8 <= len; j += 8) store<u64>(res + j, load<u64>(res + j) | load<u64>(src + j));
    for (; j < len; j++) store<u8>(res + j, load<u8>(res + j) | load<u8>(src + j));
  } else {
    for (; j + 8 <= len; j += 8) store<u64>(res + j, load<u64>(res + j) ^ load<u64>(src + j));
    for (; j < len; j++) store<u8>(res + j, load<u8>(res + j) ^ load<u8>(src + j));
  }
}

// ─── BITFIELD / BITFIELD_RO ─────────────────────────────────────────────────────────────────

const OW_WRAP = 0;
const OW_SAT = 1;
const OW_FAIL = 2;

const BF_GET = 0;
const BF_SET = 1;
const BF_INCRBY = 2;

/** Result of parseBitfieldType. */
let bfSigned: bool = false;
let bfBits: i32 = 0;

/**
 * Parse a bitfield type ("i1".."i64", "u1".."u63"; the letter is case-sensitive and the number
 * is read up to the first NUL, as Redis's strlen) at argument ai. Replies on error.
 */
function parseBitfieldType(ai: i32): bool {
  const p = argPtr(ai);
  const n = argLen(ai);
  const c = n > 0 ? load<u8>(p) : 0;
  if (c == 0x69) bfSigned = true;
  else if (c == 0x75) bfSigned = false;
  else { writeError(ERR_BITFIELD_TYPE); return false; }
  const digits = argCStrLen(ai);
  if (!parseI64(p + 1, digits - 1) || parsedI64 < 1 || (bfSigned && parsedI64 > 64) || (!bfSigned && parsedI64 > 63)) {
    writeError(ERR_BITFIELD_TYPE);
    return false;
  }
  bfBits = <i32>parsedI64;
  return true;
}

/** Unsigned integer of `bits` bits at bit `offset` of [p, p+len); bytes past len read as zero. */
function getUnsigned(p: usize, len: usize, offset: u64, bits: i32): u64 {
  let v: u64 = 0;
  for (let j = 0; j < bits; j++) {
    const byte = <usize>(offset >> 3);
    const b: u64 = byte < len ? <u64>((<u32>load<u8>(p + byte) >> (7 - <u32>(offset & 7))) & 1) : 0;
    v = (v << 1) | b;
    offset++;
  }
  return v;
}

/** Signed integer of `bits` bits (two's complement, sign-extended). */
function getSigned(p: usize, len: usize, offset: u64, bits: i32): i64 {
  let v = getUnsigned(p, len, offset, bits);
  if (bits < 64 && (v & (<u64>1 << <u64>(bits - 1))) != 0) v |= <u64>0xFFFFFFFFFFFFFFFF << <u64>bits;
  return <i64>v;
}

/** Write the low `bits` bits of v at bit `offset` of p (the string is long enough). */
function setBits(p: usize, offset: u64, bits: i32, v: u64): void {
  for (let j = 0; j < bits; j++) {
    const bit = (v >> <u64>(bits - 1 - j)) & 1;
    const addr = p + <usize>(offset >> 3);
    const shift = 7 - <u32>(offset & 7);
    store<u8>(addr, <u8>((<u32>load<u8>(addr) & ~(1 << shift)) | (<u32>bit << shift)));
    offset++;
  }
}

/** Set by the overflow checks: the value to store when they report an overflow (WRAP/SAT). */
let bfLimit: u64 = 0;

/**
 * Would value + incr leave the range of a `bits`-bit unsigned integer? 0 = no, 1 = above,
 * -1 = below; bfLimit gets the wrapped or saturated value (Redis's checkUnsignedBitfieldOverflow).
 */
function unsignedOverflow(value: u64, incr: i64, bits: i32, ow: i32): i32 {
  const max: u64 = (<u64>1 << <u64>bits) - 1;
  const maxincr = <i64>(max - value);
  const minincr = <i64>(0 - value);
  let r = 0;
  if (value > max || (incr > 0 && incr > maxincr)) r = 1;
  else if (incr < 0 && incr < minincr) r = -1;
  if (r == 0) return 0;
  if (ow == OW_WRAP) bfLimit = (value + <u64>incr) & ~(<u64>0xFFFFFFFFFFFFFFFF << <u64>bits);
  else if (ow == OW_SAT) bfLimit = r > 0 ? max : 0;
  return r;
}

/** The signed counterpart (Redis's checkSignedBitfieldOverflow, including its 64-bit cases). */
function signedOverflow(value: i64, incr: i64, bits: i32, ow: i32): i32 {
  const max: i64 = bits == 64 ? 9223372036854775807 : (<i64>1 << <i64>(bits - 1)) - 1;
  const min: i64 = -max - 1;
  // both may wrap; they are only used where Redis uses them
  const maxincr = <i64>(<u64>max - <u64>value);
  const minincr = min - value;
  let r = 0;
  if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) r = 1;
  else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) r = -1;
  if (r == 0) return 0;
  if (ow == OW_WRAP) {
    let c = <u64>value + <u64>incr;
    if (bits < 64) {
      const mask = <u64>0xFFFFFFFFFFFFFFFF << <u64>bits;
      if ((c & (<u64>1 << <u64>(bits - 1))) != 0) c |= mask; else c &= ~mask;
    }
    bfLimit = c;
  } else if (ow == OW_SAT) {
    bfLimit = <u64>(r > 0 ? max : min);
  }
  return r;
}

/** State of one parsed BITFIELD operation (parseBitfieldOp). */
let opCode: i32 = 0;
let opOverflow: i32 = OW_WRAP;
let opOffset: u64 = 0;
let opValue: i64 = 0;
let opNext: i32 = 0;

/**
 * Parse the BITFIELD operation at argument j (OVERFLOW updates opOverflow and yields no
 * operation: returns 0). Returns 1 for an operation, -1 after replying an error. opNext is the
 * argument after it.
 */
function parseBitfieldOp(j: i32): i32 {
  const rem = cmdArgc - j - 1;
  if (argIsCStr(j, "get") && rem >= 2) opCode = BF_GET;
  else if (argIsCStr(j, "set") && rem >= 3) opCode = BF_SET;
  else if (argIsCStr(j, "incrby") && rem >= 3) opCode = BF_INCRBY;
  else if (argIsCStr(j, "overflow") && rem >= 1) {
    if (argIsCStr(j + 1, "wrap")) opOverflow = OW_WRAP;
    else if (argIsCStr(j + 1, "sat")) opOverflow = OW_SAT;
    else if (argIsCStr(j + 1, "fail")) opOverflow = OW_FAIL;
    else { writeError("ERR Invalid OVERFLOW type specified"); return -1; }
    opNext = j + 2;
    return 0;
  } else { writeError(ERR_SYNTAX); return -1; }
  if (!parseBitfieldType(j + 1)) return -1;
  if (!parseBitOffset(j + 2, true, bfBits)) return -1;
  opOffset = bitOffset;
  opValue = 0;
  if (opCode != BF_GET) {
    if (!parseI64(argPtr(j + 3), argLen(j + 3))) { writeError(ERR_NOT_INT); return -1; }
    opValue = parsedI64;
    opNext = j + 4;
  } else opNext = j + 3;
  return 1;
}

/** BITFIELD and BITFIELD_RO: every operation is validated before any runs. */
function bitfieldGeneric(readonlyCommand: bool): void {
  // pass 1: validate, count, and find the furthest bit a write reaches
  let numops = 0;
  let writes = false;
  let highest: u64 = 0;
  opOverflow = OW_WRAP;
  let j = 2;
  while (j < cmdArgc) {
    const r = parseBitfieldOp(j);
    if (r < 0) return;
    j = opNext;
    if (r == 0) continue;
    numops++;
    if (opCode != BF_GET) {
      writes = true;
      const last = opOffset + <u64>bfBits - 1;
      if (last > highest) highest = last;
    }
  }
  let e: usize = 0;
  if (!writes) {
    const r = stringForBitRead(1);
    if (r < 0) return;
    e = <usize>r;
  } else {
    if (readonlyCommand) { writeError("ERR BITFIELD_RO only supports the GET subcommand"); return; }
    e = stringForBitWrite(highest);
    if (e == 0) return;
  }
  writeArrayLen(numops);
  // pass 2: run them in order (the arguments are known to parse now)
  let changes: u64 = 0;
  opOverflow = OW_WRAP;
  j = 2;
  while (j < cmdArgc) {
    const r = parseBitfieldOp(j);
    j = opNext;
    if (r == 0) continue;
    const p = e != 0 ? entryVal(e) : 0;
    const len = e != 0 ? entryValLen(e) : 0;
    const bits = bfBits;
    if (opCode == BF_GET) {
      if (bfSigned) writeInt(getSigned(p, len, opOffset, bits));
      else writeInt(<i64>getUnsigned(p, len, opOffset, bits));
      continue;
    }
    let overflow: i32;
    let newval: u64, oldval: u64, retval: u64;
    if (bfSigned) {
      const old = getSigned(p, len, opOffset, bits);
      oldval = <u64>old;
      if (opCode == BF_INCRBY) {
        overflow = signedOverflow(old, opValue, bits, opOverflow);
        newval = overflow != 0 ? bfLimit : <u64>old + <u64>opValue;
        retval = newval;
      } else {
        overflow = signedOverflow(opValue, 0, bits, opOverflow);
        newval = overflow != 0 ? bfLimit : <u64>opValue;
        retval = oldval;
      }
    } else {
      const old = getUnsigned(p, len, opOffset, bits);
      oldval = old;
      if (opCode == BF_INCRBY) {
        overflow = unsignedOverflow(old, opValue, bits, opOverflow);
        newval = overflow != 0 ? bfLimit : old + <u64>opValue;
        retval = newval;
      } else {
        overflow = unsignedOverflow(<u64>opValue, 0, bits, opOverflow);
        newval = overflow != 0 ? bfLimit : <u64>opValue;
        retval = oldval;
      }
    }
    if (overflow != 0 && opOverflow == OW_FAIL) { writeNull(); continue; }
    writeInt(<i64>retval);
    setBits(p, opOffset, bits, newval);
    if (bitGrew || oldval != newval) changes++;
  }
  if (changes != 0) { bitsModified(1, "setbit"); addDirty(changes); }
}

/** BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ... */
export function bitfieldCommand(): void { bitfieldGeneric(false); }

/** BITFIELD_RO key [GET type offset ...] */
export function bitfieldRoCommand(): void { bitfieldGeneric(true); }
