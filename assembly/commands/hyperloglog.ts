// HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST.
//
// A HyperLogLog is a string value in Redis's own byte format, so GET returns exactly Redis's
// bytes and a value copied between the two servers keeps working. Owns no memory of its own:
// the value lives in the key's entry (grown with growString), and working registers come from
// alloc/free per command (never managed arrays), the histogram from the scratch buffer.
//
//  String value                                                                    offset
//  ┌──────────────────────────────────────────────────────────────────────────────────────┐
//  │ "HYLL" magic                                                                          │ 0
//  │ encoding u8: 0 = dense, 1 = sparse                                                    │ 4
//  │ 3 unused bytes (0)                                                                    │ 5
//  │ cached cardinality u64 little-endian; bit 7 of byte 15 set = cache invalid            │ 8
//  │ registers:                                                                            │ 16
//  │   dense: 16384 registers × 6 bits = 12288 bytes, register i at bit 6*i, least         │
//  │          significant bits first (total length exactly 12304)                          │
//  │   sparse: run-length opcodes covering all 16384 registers in order                    │
//  │     00xxxxxx            ZERO   xxxxxx+1 (1..64) registers at 0                         │
//  │     01xxxxxx yyyyyyyy   XZERO  (xxxxxx<<8|yyyyyyyy)+1 (1..16384) registers at 0       │
//  │     1vvvvvxx            VAL    xx+1 (1..4) registers at value vvvvv+1 (1..32)          │
//  └──────────────────────────────────────────────────────────────────────────────────────┘
//  An element's 64-bit MurmurHash64A (seed 0xadc83b19) picks register `hash & 16383`; the
//  register keeps the largest "position of the first 1 bit" of the remaining 50 bits (1..51).
//  A sparse value turns dense when a register needs more than 32 or the opcodes would pass
//  hll-sparse-max-bytes. The edits of the sparse form (split, then merge neighbouring VALs)
//  follow Redis's exactly, since their result is visible byte for byte.

import {
  lookup, lookupRead, setString, growString, find, keyHash, entryType, entryVal, entryValLen, entryEnc,
  T_STRING, E_VLEN, ENC_RAW, ENC_INT,
} from "../keyspace";
import { alloc, free, realloc, usableSize } from "../alloc";
import {
  writeOK, writeInt, writeError, writeErrorParts, writeArrayLen, writeBulk, writeSimple, writeErrorLits,
} from "../resp/writer";
import { argPtr, argLen, cmdArgc, curDb, addDirty, scratch, argCStrLen, argIsCStr, ERR_WRONGTYPE, ERR_OOM } from "./args";
import { setStringEncoding } from "./strings";
import { formatI64 } from "../util/number";
import { configHllSparseMaxBytes } from "../config";
import { notifyKeyspaceEvent, NOTIFY_STRING } from "../notify";
import { signalModifiedKey } from "../watch";

const HLL_REGISTERS: i32 = 16384;
const HLL_HDR: usize = 16;
const HLL_DENSE_SIZE: usize = 16 + 12288;
const HLL_DENSE: u8 = 0;
const HLL_SPARSE: u8 = 1;
const HLL_Q: i32 = 50;
const SPARSE_VAL_MAX: i32 = 32;
const SPARSE_VAL_MAX_LEN: i32 = 4;
const SPARSE_ZERO_MAX_LEN: i32 = 64;
/** Length of a new, empty HLL: the header and one XZERO opcode covering every register. */
const HLL_EMPTY_SIZE: usize = 18;
const ALPHA_INF: f64 = 0.721347520444481703680;

const ERR_INVALID_HLL = "INVALIDOBJ Corrupted HLL object detected";
const ERR_NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";

/** Result codes of the register setters. */
const SET_UNCHANGED = 0;
const SET_CHANGED = 1;
const SET_INVALID = -1;
const SET_OOM = -2;

// ─── the value being worked on ──────────────────────────────────────────────────────────────
// Either the entry of a key (hllEntry != 0; it may move when it grows, so the current address
// is always re-read) or a standalone buffer (PFSELFTEST).

let hllEntry: usize = 0;
let selfBuf: usize = 0;
let selfLen: usize = 0;

// @ts-ignore: decorator
@inline function hllPtr(): usize { return hllEntry != 0 ? entryVal(hllEntry) : selfBuf; }
// @ts-ignore: decorator
@inline function hllLen(): usize { return hllEntry != 0 ? entryValLen(hllEntry) : selfLen; }

function hllSetLen(n: usize): void {
  if (hllEntry != 0) store<u32>(hllEntry + E_VLEN, <u32>n); else selfLen = n;
}

/** Make room for `n` value bytes (keeping the current ones); false when memory is exhausted. */
function hllReserve(n: usize): bool {
  if (hllEntry != 0) {
    const e = growString(curDb, hllEntry, n);
    if (e == 0) return false;
    hllEntry = e;
    return true;
  }
  if (selfBuf != 0 && n <= usableSize(selfBuf)) return true;
  const b = realloc(selfBuf, n + (n >> 1) + 16);
  if (b == 0) return false;
  selfBuf = b;
  return true;
}

// @ts-ignore: decorator
@inline function hllEncoding(): u8 { return load<u8>(hllPtr() + 4); }

/** Mark the cached cardinality stale. */
// @ts-ignore: decorator
@inline function invalidateCache(p: usize): void { store<u8>(p + 15, load<u8>(p + 15) | 0x80); }

// ─── hashing ────────────────────────────────────────────────────────────────────────────────

/** MurmurHash64A of bytes [p, p+len) (little-endian word loads, as on Redis's usual hosts). */
export function murmurHash64A(p: usize, len: usize, seed: u64): u64 {
  const m: u64 = 0xc6a4a7935bd1e995;
  let h: u64 = seed ^ (<u64>len * m);
  const words = len & ~(<usize>7);
  for (let i: usize = 0; i < words; i += 8) {
    let k = load<u64>(p + i);
    k *= m;
    k ^= k >> 47;
    k *= m;
    h ^= k;
    h *= m;
  }
  const rest = len & 7;
  if (rest != 0) {
    for (let j = <i32>rest - 1; j >= 0; j--) h ^= <u64>load<u8>(p + words + <usize>j) << (<u64>j << 3);
    h *= m;
  }
  h ^= h >> 47;
  h *= m;
  h ^= h >> 47;
  return h;
}

/** Register index of the last hashed element (hllPatLen's side result). */
let patIndex: i32 = 0;

/** Hash an element: sets patIndex, returns the run length 1..51 of its "000..1" pattern. */
function hllPatLen(p: usize, len: usize): i32 {
  let hash = murmurHash64A(p, len, 0xadc83b19);
  patIndex = <i32>(hash & 16383);
  hash >>= 14;
  hash |= <u64>1 << 50;
  return <i32>ctz<u64>(hash) + 1;
}

// ─── dense registers ────────────────────────────────────────────────────────────────────────

/** Dense register i of the registers at r. The byte after the last register is never read. */
function denseGet(r: usize, i: i32): i32 {
  const bit = <u32>i * 6;
  const byte = <usize>(bit >> 3);
  const fb = bit & 7;
  let v = <u32>load<u8>(r + byte) >> fb;
  if (fb > 2) v |= <u32>load<u8>(r + byte + 1) << (8 - fb);
  return <i32>(v & 63);
}

/** Set dense register i to v (0..63). */
function denseSetRaw(r: usize, i: i32, v: i32): void {
  const bit = <u32>i * 6;
  const byte = <usize>(bit >> 3);
  const fb = bit & 7;
  const b0 = (<u32>load<u8>(r + byte) & ~(<u32>63 << fb)) | (<u32>v << fb);
  store<u8>(r + byte, <u8>b0);
  if (fb > 2) {
    const fb8 = 8 - fb;
    const b1 = (<u32>load<u8>(r + byte + 1) & ~(<u32>63 >> fb8)) | (<u32>v >> fb8);
    store<u8>(r + byte + 1, <u8>b1);
  }
}

/** Raise dense register i to `count` if it is lower; returns whether it changed. */
function denseSet(r: usize, i: i32, count: i32): i32 {
  if (count > denseGet(r, i)) { denseSetRaw(r, i, count); return SET_CHANGED; }
  return SET_UNCHANGED;
}

// ─── sparse representation ──────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function isZero(b: u32): bool { return (b & 0xC0) == 0; }
// @ts-ignore: decorator
@inline function isXzero(b: u32): bool { return (b & 0xC0) == 0x40; }
// @ts-ignore: decorator
@inline function isVal(b: u32): bool { return (b & 0x80) != 0; }
// @ts-ignore: decorator
@inline function valValue(b: u32): i32 { return <i32>((b >> 2) & 31) + 1; }
// @ts-ignore: decorator
@inline function valLen(b: u32): i32 { return <i32>(b & 3) + 1; }
// @ts-ignore: decorator
@inline function valByte(value: i32, len: i32): u8 { return <u8>(0x80 | ((value - 1) << 2) | (len - 1)); }

/** XZERO run length of the opcode at q; its second byte reads as 0 past the end (Redis's NUL). */
// @ts-ignore: decorator
@inline
function xzeroLen(q: usize, end: usize): i32 {
  const lo = q + 1 < end ? <u32>load<u8>(q + 1) : 0;
  return <i32>(((<u32>load<u8>(q) & 0x3F) << 8) | lo) + 1;
}

/** Write a ZERO or XZERO opcode for `len` zero registers at q; returns its length. */
function putZeros(q: usize, len: i32): usize {
  if (len > SPARSE_ZERO_MAX_LEN) {
    const l = len - 1;
    store<u8>(q, <u8>((l >> 8) | 0x40));
    store<u8>(q + 1, <u8>(l & 0xFF));
    return 2;
  }
  store<u8>(q, <u8>(len - 1));
  return 1;
}

/**
 * Decode the sparse registers of the current value into raw[0..16384) (one byte per register,
 * keeping the larger of the present and the decoded value when `maxInto`). False when the
 * opcodes do not cover exactly 16384 registers (a VAL run that would pass the end stops the
 * walk, as Redis's overflow guard).
 */
function sparseDecode(raw: usize, maxInto: bool): bool {
  const p = hllPtr();
  const end = p + hllLen();
  let q = p + HLL_HDR;
  let idx: i64 = 0;
  while (q < end) {
    const b = <u32>load<u8>(q);
    if (isZero(b)) { idx += <i64>((b & 0x3F) + 1); q++; }
    else if (isXzero(b)) { idx += <i64>xzeroLen(q, end); q += 2; }
    else {
      const run = valLen(b), v = valValue(b);
      if (<i64>run + idx > <i64>HLL_REGISTERS) break;
      for (let k = 0; k < run; k++) {
        const a = raw + <usize>idx;
        if (!maxInto || <i32>load<u8>(a) < v) store<u8>(a, <u8>v);
        idx++;
      }
      q++;
    }
  }
  return idx == <i64>HLL_REGISTERS;
}

/** Registers buffer of HLL_REGISTERS bytes for the command in progress (alloc'd, freed by the caller). */
function rawNew(): usize {
  const raw = alloc(<usize>HLL_REGISTERS);
  if (raw != 0) memory.fill(raw, 0, <usize>HLL_REGISTERS);
  return raw;
}

/**
 * Turn the current sparse value dense (header kept, encoding byte changed). Returns SET_CHANGED,
 * SET_INVALID for a corrupted value (left as it was), or SET_OOM.
 */
function sparseToDense(): i32 {
  if (hllEncoding() == HLL_DENSE) return SET_CHANGED;
  const raw = rawNew();
  if (raw == 0) return SET_OOM;
  if (!sparseDecode(raw, false)) { free(raw); return SET_INVALID; }
  if (!hllReserve(HLL_DENSE_SIZE)) { free(raw); return SET_OOM; }
  const p = hllPtr();
  store<u8>(p + 4, HLL_DENSE);
  memory.fill(p + HLL_HDR, 0, HLL_DENSE_SIZE - HLL_HDR);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const v = <i32>load<u8>(raw + <usize>i);
    if (v != 0) denseSetRaw(p + HLL_HDR, i, v);
  }
  hllSetLen(HLL_DENSE_SIZE);
  free(raw);
  return SET_CHANGED;
}

/** Promote to dense and raise register `index` there (a change by construction). */
function promoteAndSet(index: i32, count: i32): i32 {
  const r = sparseToDense();
  if (r != SET_CHANGED) return r;
  denseSet(hllPtr() + HLL_HDR, index, count);
  return SET_CHANGED;
}

/**
 * Raise sparse register `index` to `count` if it is lower, editing the opcodes in place the way
 * Redis's hllSparseSet does (the resulting bytes are part of the contract). Promotes to dense
 * when needed. Returns SET_CHANGED / SET_UNCHANGED / SET_INVALID / SET_OOM.
 */
function sparseSet(index: i32, count: i32): i32 {
  if (count > SPARSE_VAL_MAX) return promoteAndSet(index, count);
  // at most 3 more bytes (XZERO split into XZERO VAL XZERO)
  if (!hllReserve(hllLen() + 3)) return SET_OOM;
  const base = hllPtr();
  const len = hllLen();
  const sparse = base + HLL_HDR;
  let end = base + len;

  // step 1: find the opcode covering `index`
  let q = sparse;
  let prev: usize = 0;
  let first: i32 = 0, span: i32 = 0;
  while (q < end) {
    const b = <u32>load<u8>(q);
    let oplen: usize = 1;
    if (isZero(b)) span = <i32>(b & 0x3F) + 1;
    else if (isVal(b)) span = valLen(b);
    else { span = xzeroLen(q, end); oplen = 2; }
    if (index <= first + span - 1) break;
    prev = q;
    q += oplen;
    first += span;
  }
  if (span == 0 || q >= end) return SET_INVALID;
  const op = <u32>load<u8>(q);
  let next: usize = isXzero(op) ? q + 2 : q + 1;
  if (next >= end) next = 0;
  const zero = isZero(op), xzero = isXzero(op), val = !zero && !xzero;
  const runlen = zero ? <i32>(op & 0x3F) + 1 : xzero ? xzeroLen(q, end) : valLen(op);

  // step 2: the trivial cases
  let simple = false;
  if (val) {
    if (valValue(op) >= count) return SET_UNCHANGED;
    if (runlen == 1) { store<u8>(q, valByte(count, 1)); simple = true; }
  }
  if (!simple && zero && runlen == 1) { store<u8>(q, valByte(count, 1)); simple = true; }

  if (!simple) {
    // step 3: split the opcode into up to three (at most 5 bytes), then put them in its place
    const seq = scratch + 512;
    let n = seq;
    const last = first + span - 1;
    if (zero || xzero) {
      if (index != first) n += putZeros(n, index - first);
      store<u8>(n++, valByte(count, 1));
      if (index != last) n += putZeros(n, last - index);
    } else {
      const cur = valValue(op);
      if (index != first) store<u8>(n++, valByte(cur, index - first));
      store<u8>(n++, valByte(count, 1));
      if (index != last) store<u8>(n++, valByte(cur, last - index));
    }
    const seqlen = <i32>(n - seq);
    const oldlen = xzero ? 2 : 1;
    const delta = seqlen - oldlen;
    if (delta > 0 && <u64>len + <u64>delta > <u64>configHllSparseMaxBytes()) return promoteAndSet(index, count);
    if (delta != 0 && next != 0) memory.copy(next + <usize>delta, next, end - next);
    hllSetLen(<usize>(<i32>len + delta));
    memory.copy(q, seq, <usize>seqlen);
    end += <usize>delta;
  }

  // step 4: merge neighbouring VAL opcodes of equal value, scanning 5 opcodes from prev
  q = prev != 0 ? prev : sparse;
  let scan = 5;
  while (q < end) {
    if (scan == 0) break;
    scan--;
    const b = <u32>load<u8>(q);
    if (isXzero(b)) { q += 2; continue; }
    if (isZero(b)) { q++; continue; }
    if (q + 1 < end) {
      const b2 = <u32>load<u8>(q + 1);
      if (isVal(b2) && valValue(b) == valValue(b2)) {
        const l = valLen(b) + valLen(b2);
        if (l <= SPARSE_VAL_MAX_LEN) {
          store<u8>(q + 1, valByte(valValue(b), l));
          memory.copy(q, q + 1, end - q - 1);
          end--;
          hllSetLen(hllLen() - 1);
          continue;
        }
      }
    }
    q++;
  }
  invalidateCache(hllPtr());
  return SET_CHANGED;
}

/** Add element [p, p+len) to the current value (dense or sparse). */
function hllAdd(p: usize, len: usize): i32 {
  const count = hllPatLen(p, len);
  if (hllEncoding() == HLL_DENSE) return denseSet(hllPtr() + HLL_HDR, patIndex, count);
  return sparseSet(patIndex, count);
}

// ─── cardinality ────────────────────────────────────────────────────────────────────────────

/** Ertl's sigma function ("New cardinality estimation algorithms for HyperLogLog sketches"). */
function hllSigma(x: f64): f64 {
  if (x == 1.0) return Infinity;
  let zPrime: f64;
  let y: f64 = 1.0;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime != z);
  return z;
}

/** Ertl's tau function. */
function hllTau(x: f64): f64 {
  if (x == 0.0 || x == 1.0) return 0.0;
  let zPrime: f64;
  let y: f64 = 1.0;
  let z = 1.0 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1.0 - x;
    z -= d * d * y;
  } while (zPrime != z);
  return z / 3.0;
}

/** Histogram of register values (64 × i32 in scratch), filled by the *Histo functions. */
// @ts-ignore: decorator
@inline function histo(): usize { return scratch; }

function histoClear(): void { memory.fill(histo(), 0, 64 * 4); }

// @ts-ignore: decorator
@inline function histoAdd(v: i32, n: i32): void {
  const a = histo() + (<usize>v << 2);
  store<i32>(a, load<i32>(a) + n);
}

/** Improved-estimator cardinality from the histogram, with Redis's operations in Redis's order. */
function histoCount(): u64 {
  const h = histo();
  const m: f64 = <f64>HLL_REGISTERS;
  let z = m * hllTau((m - <f64>load<i32>(h + (<usize>(HLL_Q + 1) << 2))) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += <f64>load<i32>(h + (<usize>j << 2));
    z *= 0.5;
  }
  z += m * hllSigma(<f64>load<i32>(h) / m);
  const x = ALPHA_INF * m * m / z;
  // llroundl: halves away from zero (x >= 0 here; x - floor(x) is exact); out of range (an
  // all-zero denominator gives infinity) it yields LLONG_MIN, as on Redis's x86-64 builds
  if (!(x < 9223372036854775808.0)) return 0x8000000000000000;
  let r = Math.floor(x);
  if (x - r >= 0.5) r += 1.0;
  return <u64>r;
}

/** Histogram of the current value's registers; false for a sparse value that does not cover 16384. */
function valueHisto(): bool {
  histoClear();
  const p = hllPtr();
  if (load<u8>(p + 4) == HLL_DENSE) {
    const r = p + HLL_HDR;
    for (let i = 0; i < HLL_REGISTERS; i++) histoAdd(denseGet(r, i), 1);
    return true;
  }
  const end = p + hllLen();
  let q = p + HLL_HDR;
  let idx: i64 = 0;
  while (q < end) {
    const b = <u32>load<u8>(q);
    if (isZero(b)) { const n = <i32>(b & 0x3F) + 1; idx += n; histoAdd(0, n); q++; }
    else if (isXzero(b)) { const n = xzeroLen(q, end); idx += n; histoAdd(0, n); q += 2; }
    else { const n = valLen(b); idx += n; histoAdd(valValue(b), n); q++; }
  }
  return idx == <i64>HLL_REGISTERS;
}

/** Histogram of raw registers (one byte each). */
function rawHisto(raw: usize): void {
  histoClear();
  for (let i: usize = 0; i < <usize>HLL_REGISTERS; i++) histoAdd(<i32>load<u8>(raw + i), 1);
}

// ─── keys holding HLLs ──────────────────────────────────────────────────────────────────────

/** Is entry e a string in HLL format? Replies WRONGTYPE (either text) and returns false if not. */
function isHllOrReply(e: usize): bool {
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return false; }
  const p = entryVal(e), len = entryValLen(e);
  if (entryEnc(e) == ENC_INT || len < HLL_HDR ||
      load<u8>(p) != 0x48 || load<u8>(p + 1) != 0x59 || load<u8>(p + 2) != 0x4C || load<u8>(p + 3) != 0x4C ||
      load<u8>(p + 4) > HLL_SPARSE || (load<u8>(p + 4) == HLL_DENSE && len != HLL_DENSE_SIZE)) {
    writeError(ERR_NOT_HLL);
    return false;
  }
  return true;
}

/** A new empty (sparse) HLL at key arg ki, made current; false after replying OOM. */
function createHll(ki: i32): bool {
  const k = argPtr(ki), klen = argLen(ki);
  const e = setString(curDb, k, klen, 0, HLL_EMPTY_SIZE, false);
  if (e == 0) { writeError(ERR_OOM); return false; }
  const p = entryVal(e);
  store<u32>(p, 0x4C4C5948); // "HYLL"
  store<u32>(p + 4, HLL_SPARSE);
  store<u64>(p + 8, 0);
  putZeros(p + HLL_HDR, HLL_REGISTERS);
  setStringEncoding(e, ENC_RAW);
  // growString() later needs the link to this entry: find it again
  hllEntry = find(curDb, k, klen, keyHash(k, klen));
  return true;
}

/** Make key entry e current, unshared as Redis's dbUnshareStringValue leaves it (raw). */
function useEntry(e: usize): void {
  setStringEncoding(e, ENC_RAW);
  hllEntry = e;
}

/** Reply the setter result `r` as an error when it is one; returns whether it was. */
function replySetError(r: i32): bool {
  if (r == SET_INVALID) { writeError(ERR_INVALID_HLL); return true; }
  if (r == SET_OOM) { writeError(ERR_OOM); return true; }
  return false;
}

/** Merge the registers of key entry e into raw (maximum per register); false if corrupted. */
function mergeInto(raw: usize, e: usize): bool {
  hllEntry = e;
  const p = entryVal(e);
  if (load<u8>(p + 4) == HLL_DENSE) {
    const r = p + HLL_HDR;
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(r, i);
      const a = raw + <usize>i;
      if (<i32>load<u8>(a) < v) store<u8>(a, <u8>v);
    }
    return true;
  }
  return sparseDecode(raw, true);
}

// ─── commands ───────────────────────────────────────────────────────────────────────────────

/** PFADD key [element ...] */
export function pfaddCommand(): void {
  let updated: u64 = 0;
  const e = lookup(curDb, argPtr(1), argLen(1));
  if (e == 0) {
    if (!createHll(1)) return;
    updated++;
  } else {
    if (!isHllOrReply(e)) return;
    useEntry(e);
  }
  for (let i = 2; i < cmdArgc; i++) {
    const r = hllAdd(argPtr(i), argLen(i));
    if (r == SET_CHANGED) updated++;
    else if (replySetError(r)) return;
  }
  if (updated != 0) {
    invalidateCache(hllPtr());
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", argPtr(1), argLen(1), curDb);
    addDirty(updated);
  }
  writeInt(updated != 0 ? 1 : 0);
}

/** PFCOUNT key [key ...] */
export function pfcountCommand(): void {
  if (cmdArgc > 2) {
    // the union's cardinality, computed afresh (nothing is cached or written)
    const raw = rawNew();
    if (raw == 0) { writeError(ERR_OOM); return; }
    for (let i = 1; i < cmdArgc; i++) {
      const e = lookupRead(curDb, argPtr(i), argLen(i));
      if (e == 0) continue;
      if (!isHllOrReply(e)) { free(raw); return; }
      if (!mergeInto(raw, e)) { free(raw); writeError(ERR_INVALID_HLL); return; }
    }
    rawHisto(raw);
    free(raw);
    writeInt(<i64>histoCount());
    return;
  }
  const e = lookupRead(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeInt(0); return; }
  if (!isHllOrReply(e)) return;
  useEntry(e);
  const p = hllPtr();
  let card: u64;
  if ((load<u8>(p + 15) & 0x80) == 0) {
    card = load<u64>(p + 8);
  } else {
    if (!valueHisto()) { writeError(ERR_INVALID_HLL); return; }
    card = histoCount();
    store<u64>(p + 8, card);
    // the cached cardinality is written back: a modification for WATCH, without an event
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    addDirty(1);
  }
  writeInt(<i64>card);
}

/** PFMERGE destkey [sourcekey ...] */
export function pfmergeCommand(): void {
  const raw = rawNew();
  if (raw == 0) { writeError(ERR_OOM); return; }
  let dense = false;
  // the destination is one of the inputs too
  for (let i = 1; i < cmdArgc; i++) {
    const e = lookupRead(curDb, argPtr(i), argLen(i));
    if (e == 0) continue;
    if (!isHllOrReply(e)) { free(raw); return; }
    if (load<u8>(entryVal(e) + 4) == HLL_DENSE) dense = true;
    if (!mergeInto(raw, e)) { free(raw); writeError(ERR_INVALID_HLL); return; }
  }
  const d = lookup(curDb, argPtr(1), argLen(1));
  if (d == 0) {
    if (!createHll(1)) { free(raw); return; }
  } else {
    useEntry(d);
  }
  // any dense input makes the destination dense before the registers are written
  if (dense) {
    const r = sparseToDense();
    if (replySetError(r)) { free(raw); return; }
  }
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const v = <i32>load<u8>(raw + <usize>j);
    if (v == 0) continue;
    let r: i32;
    if (hllEncoding() == HLL_DENSE) r = denseSet(hllPtr() + HLL_HDR, j, v);
    else r = sparseSet(j, v);
    if (r == SET_OOM) { free(raw); writeError(ERR_OOM); return; }
  }
  free(raw);
  invalidateCache(hllPtr());
  // Redis reports a merge as "pfadd" on the destination
  signalModifiedKey(curDb, argPtr(1), argLen(1));
  notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", argPtr(1), argLen(1), curDb);
  addDirty(1);
  writeOK();
}

/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
export function pfdebugCommand(): void {
  const e = lookup(curDb, argPtr(2), argLen(2));
  if (e == 0) { writeError("ERR The specified key does not exist"); return; }
  if (!isHllOrReply(e)) return;
  useEntry(e);
  if (argIsCStr(1, "getreg")) {
    if (cmdArgc != 3) { pfdebugArityError(); return; }
    if (hllEncoding() == HLL_SPARSE) {
      if (replySetError(sparseToDense())) return;
      addDirty(1);
    }
    const r = hllPtr() + HLL_HDR;
    writeArrayLen(HLL_REGISTERS);
    for (let i = 0; i < HLL_REGISTERS; i++) writeInt(denseGet(r, i));
  } else if (argIsCStr(1, "decode")) {
    if (cmdArgc != 3) { pfdebugArityError(); return; }
    if (hllEncoding() != HLL_SPARSE) { writeError("ERR HLL encoding is not sparse"); return; }
    pfdebugDecode();
  } else if (argIsCStr(1, "encoding")) {
    if (cmdArgc != 3) { pfdebugArityError(); return; }
    if (hllEncoding() == HLL_DENSE) writeSimple("dense"); else writeSimple("sparse");
  } else if (argIsCStr(1, "todense")) {
    if (cmdArgc != 3) { pfdebugArityError(); return; }
    let converted = false;
    if (hllEncoding() == HLL_SPARSE) {
      if (replySetError(sparseToDense())) return;
      converted = true;
      addDirty(1);
    }
    writeInt(converted ? 1 : 0);
  } else {
    writeErrorParts("ERR Unknown PFDEBUG subcommand '", argPtr(1), argCStrLen(1), "'");
  }
}

/** "Wrong number of arguments for the '<subcommand>' subcommand" (as typed, up to a NUL). */
function pfdebugArityError(): void {
  writeErrorParts("ERR Wrong number of arguments for the '", argPtr(1), argCStrLen(1), "' subcommand");
}

/** PFDEBUG DECODE: the sparse opcodes as "z:<n>", "Z:<n>", "v:<value>,<n>" separated by spaces. */
function pfdebugDecode(): void {
  const p = hllPtr();
  const len = hllLen();
  const end = p + len;
  const out = alloc((len - HLL_HDR) * 8 + 16);
  if (out == 0) { writeError(ERR_OOM); return; }
  let o = out;
  let q = p + HLL_HDR;
  while (q < end) {
    const b = <u32>load<u8>(q);
    if (o != out) store<u8>(o++, 0x20);
    if (isZero(b)) {
      store<u16>(o, 0x3A7A); o += 2; // "z:"
      o += formatI64(o, <i64>((b & 0x3F) + 1));
      q++;
    } else if (isXzero(b)) {
      store<u16>(o, 0x3A5A); o += 2; // "Z:"
      o += formatI64(o, <i64>xzeroLen(q, end));
      q += 2;
    } else {
      store<u16>(o, 0x3A76); o += 2; // "v:"
      o += formatI64(o, <i64>valValue(b));
      store<u8>(o++, 0x2C);
      o += formatI64(o, <i64>valLen(b));
      q++;
    }
  }
  writeBulk(out, o - out);
  free(out);
}

// ─── PFSELFTEST ─────────────────────────────────────────────────────────────────────────────

/** xorshift64 state of the self-test (its own, so the keyspace's random stream is untouched). */
let testRand: u64 = 0x9E3779B97F4A7C15;
function testNext(): u64 {
  let x = testRand;
  x ^= x << 13; x ^= x >> 7; x ^= x << 17;
  testRand = x;
  return x;
}

/**
 * PFSELFTEST: checks this implementation against itself, as Redis's does against its own:
 * (1) every dense register keeps what is written to it without disturbing its neighbours;
 * (2) the same elements added to a dense and to a sparse HLL give identical estimates at
 * 1, 10, 100 … elements, the sparse one stays sparse while it is small, and the estimate stays
 * within a few standard errors of the true count. Replies +OK or a TESTFAILED error.
 */
export function pfselftestCommand(): void {
  const savedEntry = hllEntry;
  hllEntry = 0;
  const dense = alloc(HLL_DENSE_SIZE + 8);
  const expect = alloc(<usize>HLL_REGISTERS);
  if (dense == 0 || expect == 0) { free(dense); free(expect); writeError(ERR_OOM); return; }
  memory.fill(dense, 0, HLL_DENSE_SIZE + 8);
  const regs = dense + HLL_HDR;
  let failed = false;
  // test 1: register access
  for (let cycle = 0; cycle < 20 && !failed; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = <i32>(testNext() & 63);
      store<u8>(expect + <usize>i, <u8>v);
      denseSetRaw(regs, i, v);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      if (denseGet(regs, i) != <i32>load<u8>(expect + <usize>i)) {
        writeErrorLits("ERR TESTFAILED Register ", "access", " returned a different value");
        failed = true;
        break;
      }
    }
  }
  free(expect);
  // test 2: estimates, dense against sparse
  if (!failed) {
    memory.fill(regs, 0, HLL_DENSE_SIZE - HLL_HDR);
    selfLen = 0;
    if (!hllReserve(HLL_EMPTY_SIZE)) { failed = true; writeError(ERR_OOM); }
    else {
      store<u32>(selfBuf, 0x4C4C5948);
      store<u32>(selfBuf + 4, HLL_SPARSE);
      store<u64>(selfBuf + 8, 0);
      putZeros(selfBuf + HLL_HDR, HLL_REGISTERS);
      selfLen = HLL_EMPTY_SIZE;
    }
    const seed = testNext();
    const ele = scratch + 1024;
    let checkpoint: u64 = 1;
    const relerr = 1.04 / Math.sqrt(<f64>HLL_REGISTERS);
    for (let j: u64 = 1; j <= 1000000 && !failed; j++) {
      store<u64>(ele, j ^ seed);
      const count = hllPatLen(ele, 8);
      denseSet(regs, patIndex, count);
      const r = hllEncoding() == HLL_DENSE ? denseSet(hllPtr() + HLL_HDR, patIndex, count) : sparseSet(patIndex, count);
      if (r == SET_OOM || r == SET_INVALID) { writeError("ERR TESTFAILED sparse update failed"); failed = true; break; }
      if (j != checkpoint) continue;
      if (j < <u64>(configHllSparseMaxBytes() / 2) && hllEncoding() != HLL_SPARSE) {
        writeError("ERR TESTFAILED sparse encoding not used");
        failed = true;
        break;
      }
      histoClear();
      for (let i = 0; i < HLL_REGISTERS; i++) histoAdd(denseGet(regs, i), 1);
      const denseCard = histoCount();
      if (!valueHisto() || histoCount() != denseCard) {
        writeError("ERR TESTFAILED dense/sparse disagree");
        failed = true;
        break;
      }
      let abserr = <i64>checkpoint - <i64>denseCard;
      if (abserr < 0) abserr = -abserr;
      let maxerr = <i64>Math.ceil(relerr * 6.0 * <f64>checkpoint);
      if (j == 10) maxerr = 1;
      if (abserr > maxerr) {
        writeError("ERR TESTFAILED Too big error");
        failed = true;
        break;
      }
      checkpoint *= 10;
    }
  }
  free(dense);
  free(selfBuf);
  selfBuf = 0;
  selfLen = 0;
  hllEntry = savedEntry;
  if (!failed) writeOK();
}
