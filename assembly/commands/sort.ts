// SORT and SORT_RO: sort the elements of a list (sets and sorted sets plug in through the hooks
// below), numerically or by bytes (ALPHA), optionally by the values of other keys (BY pattern,
// "->field" of hashes), returning them or other keys' values (GET), or storing the result as a
// list (STORE). Redis 7.0's sort.c is the spec: option parsing order, LIMIT arithmetic, the
// comparison (numeric ties broken by the elements' bytes; ALPHA as strcoll in the C locale, i.e.
// bytes up to the first NUL, or memcmp with STORE), a stable sort where Redis's glibc qsort is a
// stable merge sort, and Redis's own partial quicksort (pqsort) where BY meets LIMIT, so ties come
// out in Redis's order too.
//
// Owns only memory it allocates for one command and frees before returning:
//
//  Sort record (REC_SIZE bytes, one per element, in one alloc'd vector)      offset
//  ┌────────────────────────────────────────────────────────────────────────┐
//  │ element bytes ptr u32 (into the list element; the value is not changed) │ 0
//  │ element length u32                                                     │ 4
//  │ score f64 (numeric sort)                                               │ 8
//  │ BY value: offset u32 into the BY arena, or NO_VALUE (missing key)      │ 16
//  │ BY value length u32                                                    │ 20
//  └────────────────────────────────────────────────────────────────────────┘
//  The sort permutes an array of u32 record addresses; BY values are copied into a growing
//  arena (alloc/realloc) so they stay valid whatever the lookups do; a growing key buffer holds
//  the key names that patterns produce.

import {
  lookupRead, deleteKey, createObjectKey, entryType, entryObj, entryVal, entryValLen, T_STRING, T_LIST, T_HASH, T_SET,
  T_ZSET,
} from "../keyspace";
import {
  zsetLength, zsetToSkiplist, zsetDict, iterAtRank, iterValid, iterMember, iterMemberLen, iterNext,
} from "../ds/zset";
import { setSize, setEnc, setObj, setFirst, setNext, setMember, memberPtr, memberLen, SET_INTSET } from "../ds/set";
import { hashGet, hashValPtr, hashValLen } from "../ds/hash";
import { dictFirst, dictNext, nodeKey, nodeKeyLen } from "../ds/dict";
import { intsetGet } from "../ds/intset";
import { formatI64 } from "../util/number";
import { listNew, listFree, listLen, listGet, listPush, elemNew, elemPtr, elemLen } from "../ds/list";
import { alloc, free, realloc, usableSize } from "../alloc";
import { writeError, writeArrayLen, writeBulk, writeNull, writeInt } from "../resp/writer";
import { argPtr, argLen, cmdArgc, curDb, addDirty, argIsCStr, ERR_WRONGTYPE, ERR_OOM, ERR_SYNTAX, ERR_NOT_INT } from "./args";
import { parseI64, parsedI64 } from "../util/number";
import { strtodBytes, parsedDouble, parsedRange, parsedTinyInexact, RANGE_OK } from "../util/double";
import { muteKeySignals } from "../blocking";
import { notifyKeyspaceEvent, NOTIFY_LIST, NOTIFY_GENERIC } from "../notify";
import { signalModifiedKey } from "../watch";

const REC_SIZE: usize = 24;
const R_PTR: usize = 0;
const R_LEN: usize = 4;
const R_SCORE: usize = 8;
const R_BY: usize = 16;
const R_BYLEN: usize = 20;
const NO_VALUE: u32 = 0xFFFFFFFF;

// ─── per-type hooks: sets and sorted sets plug in here ───────────────────────────────────────

/** Can SORT read a value of type t? (T_SET and T_ZSET join T_LIST when they exist.) */
function sortableType(t: u8): bool {
  return t == T_LIST || t == T_SET || t == T_ZSET;
}

/** Is t a set (SORT ... BY nosort STORE sorts a set alphabetically so replicas agree)? */
function isSetType(t: u8): bool {
  return t == T_SET;
}

/** Whether t keeps its own order for BY nosort with LIMIT (lists, sorted sets: load a range). */
function hasNativeOrder(t: u8): bool {
  return t == T_LIST || t == T_ZSET;
}

/** Number of elements of the sortable value at entry e. */
function sortableLength(e: usize): i64 {
  switch (entryType(e)) {
    case T_LIST: return <i64>listLen(entryObj(e));
    case T_SET: return <i64>setSize(e);
    case T_ZSET: return <i64>zsetLength(entryObj(e));
    default: return 0;
  }
}

/**
 * Fill records rec[0..n) with the elements of the value at entry e: positions from, from+1, …
 * in the value's own order, or, when `desc`, positions len-1-from, len-2-from, … (lists and
 * sorted sets; a set ignores from/desc and gives its iteration order, a sorted set sorted by
 * anything gives its dictionary order, as Redis loads them).
 */
function loadElements(e: usize, rec: usize, from: i64, n: i64, desc: bool): void {
  switch (entryType(e)) {
    case T_LIST: {
      const l = entryObj(e);
      const len = <i64>listLen(l);
      for (let j: i64 = 0; j < n; j++) {
        const idx = desc ? len - 1 - from - j : from + j;
        const el = listGet(l, <u32>idx);
        setRecord(rec + <usize>j * REC_SIZE, elemPtr(el), elemLen(el));
      }
      break;
    }
    case T_SET: {
      if (setEnc(e) == SET_INTSET) {
        // intset members have no bytes of their own: format them into intBytes (20 bytes each)
        intBytes = alloc(<usize>n * 20);
        if (intBytes == 0) { loadFailed = true; break; }
        const s = setObj(e);
        for (let j: i64 = 0; j < n; j++) {
          const p = intBytes + <usize>j * 20;
          setRecord(rec + <usize>j * REC_SIZE, p, formatI64(p, intsetGet(s, <u32>j)));
        }
        break;
      }
      let j: i64 = 0;
      for (let it = setFirst(e); it != 0 && j < n; it = setNext(e, it)) {
        setMember(e, it);
        setRecord(rec + <usize>j * REC_SIZE, memberPtr, memberLen);
        j++;
      }
      break;
    }
    case T_ZSET: {
      // SORT converted the zset to a skiplist: score order (BY nosort), else the dict's order
      const zs = entryObj(e);
      if (loadNative) {
        if (!iterAtRank(zs, from, desc)) { loadFailed = true; break; }
        for (let j: i64 = 0; j < n && iterValid(); j++) {
          setRecord(rec + <usize>j * REC_SIZE, iterMember(), iterMemberLen());
          iterNext();
        }
      } else {
        const d = zsetDict(zs);
        let j: i64 = 0;
        for (let node = dictFirst(d); node != 0 && j < n; node = dictNext(d, node)) {
          setRecord(rec + <usize>j * REC_SIZE, nodeKey(node), nodeKeyLen(node));
          j++;
        }
      }
      break;
    }
    default: break;
  }
}

/** loadElements reads a sorted set in its own order (BY nosort) rather than its dict's. */
let loadNative = false;

/** The decimal bytes of an intset's members while they are sorted (freed by cleanup). */
let intBytes: usize = 0;
/** Set when loadElements ran out of memory. */
let loadFailed = false;

/**
 * The value of field [f, f+flen) of the hash at entry e, into lookedPtr/lookedLen; false when e
 * is not a hash or lacks the field (the "->field" part of BY and GET patterns). Hashes arrive
 * with their own module: add their case here.
 */
function hashFieldOf(e: usize, f: usize, flen: usize): bool {
  switch (entryType(e)) {
    case T_HASH: {
      if (!hashGet(e, f, flen)) return false;
      lookedPtr = hashValPtr;
      lookedLen = hashValLen;
      return true;
    }
    default: return false;
  }
}

// ─── records ────────────────────────────────────────────────────────────────────────────────

function setRecord(r: usize, p: usize, len: usize): void {
  store<u32>(r + R_PTR, <u32>p);
  store<u32>(r + R_LEN, <u32>len);
  store<f64>(r + R_SCORE, 0.0);
  store<u32>(r + R_BY, NO_VALUE);
  store<u32>(r + R_BYLEN, 0);
}

// @ts-ignore: decorator
@inline function recPtr(r: usize): usize { return <usize>load<u32>(r + R_PTR); }
// @ts-ignore: decorator
@inline function recLen(r: usize): usize { return <usize>load<u32>(r + R_LEN); }

// ─── pattern lookups ────────────────────────────────────────────────────────────────────────

/** Result of lookupByPattern. */
let lookedPtr: usize = 0;
let lookedLen: usize = 0;

/** Key-name buffer for pattern substitution (grows as needed; freed at the end of the command). */
let keyBuf: usize = 0;

/** Length of [p, p+n) up to its first NUL. */
function cLen(p: usize, n: usize): usize {
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) == 0) return i;
  return n;
}

/**
 * The value pattern arg pi names for element [ep, ep+elen): "#" is the element itself; the first
 * '*' (before any NUL) is replaced by the element; "->field" after it reads a hash field instead
 * of a string. Sets lookedPtr/lookedLen; false when there is no such string (or field), when the
 * pattern has no '*', and when memory for the key name runs out.
 */
function lookupByPattern(pi: i32, ep: usize, elen: usize): bool {
  const pat = argPtr(pi);
  const plen = argLen(pi);
  if (plen >= 1 && load<u8>(pat) == 0x23 && (plen == 1 || load<u8>(pat + 1) == 0)) {
    lookedPtr = ep;
    lookedLen = elen;
    return true;
  }
  const clen = cLen(pat, plen);
  let star: isize = -1;
  for (let i: usize = 0; i < clen; i++) if (load<u8>(pat + i) == 0x2A) { star = <isize>i; break; }
  if (star < 0) return false;
  // "->" after the star, followed by at least one byte (before the NUL that ends the C string)
  let fieldLen: usize = 0;
  let fieldAt: usize = 0;
  for (let i = <usize>star + 1; i + 1 < clen; i++) {
    if (load<u8>(pat + i) == 0x2D && load<u8>(pat + i + 1) == 0x3E) {
      if (i + 2 < clen) { fieldAt = i + 2; fieldLen = plen - fieldAt; }
      break;
    }
  }
  const prefix = <usize>star;
  const postfix = plen - prefix - 1 - (fieldLen != 0 ? fieldLen + 2 : 0);
  const klen = prefix + elen + postfix;
  if (keyBuf == 0 || klen > usableSize(keyBuf)) {
    const nb = realloc(keyBuf, klen + 64);
    if (nb == 0) return false;
    keyBuf = nb;
  }
  memory.copy(keyBuf, pat, prefix);
  memory.copy(keyBuf + prefix, ep, elen);
  memory.copy(keyBuf + prefix + elen, pat + prefix + 1, postfix);
  const e = lookupRead(curDb, keyBuf, klen);
  if (e == 0) return false;
  if (fieldLen != 0) return hashFieldOf(e, pat + fieldAt, fieldLen);
  if (entryType(e) != T_STRING) return false;
  lookedPtr = entryVal(e);
  lookedLen = entryValLen(e);
  return true;
}

// ─── comparison ─────────────────────────────────────────────────────────────────────────────

let sortAlpha = false;
let sortDesc = false;
let sortBy = false;
let sortStore = false;
let arena: usize = 0;

/** memcmp over the common length, then the shorter first (Redis's compareStringObjects). */
function compareBinary(a: usize, alen: usize, b: usize, blen: usize): i32 {
  const n = alen < blen ? alen : blen;
  const c = memory.compare(a, b, n);
  if (c != 0) return c < 0 ? -1 : 1;
  return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/** strcoll in the C locale: bytes up to the first NUL of either string. */
function compareCString(a: usize, alen: usize, b: usize, blen: usize): i32 {
  return compareBinary(a, cLen(a, alen), b, cLen(b, blen));
}

/** Redis's sortCompare for records x and y. */
function compareRecords(x: usize, y: usize): i32 {
  let c: i32;
  if (!sortAlpha) {
    const sx = load<f64>(x + R_SCORE), sy = load<f64>(y + R_SCORE);
    if (sx > sy) c = 1;
    else if (sx < sy) c = -1;
    else c = compareBinary(recPtr(x), recLen(x), recPtr(y), recLen(y));
  } else if (sortBy) {
    const bx = load<u32>(x + R_BY), by = load<u32>(y + R_BY);
    if (bx == NO_VALUE || by == NO_VALUE) {
      c = bx == by ? 0 : bx == NO_VALUE ? -1 : 1;
    } else {
      const px = arena + <usize>bx, lx = <usize>load<u32>(x + R_BYLEN);
      const py = arena + <usize>by, ly = <usize>load<u32>(y + R_BYLEN);
      c = sortStore ? compareBinary(px, lx, py, ly) : compareCString(px, lx, py, ly);
    }
  } else {
    c = sortStore ? compareBinary(recPtr(x), recLen(x), recPtr(y), recLen(y))
                  : compareCString(recPtr(x), recLen(x), recPtr(y), recLen(y));
  }
  return sortDesc ? -c : c;
}

// ─── sorting the array of record addresses ──────────────────────────────────────────────────

let order: usize = 0; // u32 record addresses

// @ts-ignore: decorator
@inline function at(i: i64): usize { return <usize>load<u32>(order + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function cmpAt(i: i64, j: i64): i32 { return compareRecords(at(i), at(j)); }
// @ts-ignore: decorator
@inline
function swapAt(i: i64, j: i64): void {
  const a = order + (<usize>i << 2), b = order + (<usize>j << 2);
  const t = load<u32>(a);
  store<u32>(a, load<u32>(b));
  store<u32>(b, t);
}

/** Stable merge sort of order[lo, hi) using tmp (same size): the order glibc's qsort gives. */
function mergeSort(tmp: usize, lo: i64, hi: i64): void {
  const n = hi - lo;
  if (n < 2) return;
  if (n <= 8) {
    // insertion sort: stable for short runs
    for (let i = lo + 1; i < hi; i++) {
      const v = at(i);
      let j = i;
      while (j > lo && compareRecords(at(j - 1), v) > 0) {
        store<u32>(order + (<usize>j << 2), <u32>at(j - 1));
        j--;
      }
      store<u32>(order + (<usize>j << 2), <u32>v);
    }
    return;
  }
  const mid = lo + (n >> 1);
  mergeSort(tmp, lo, mid);
  mergeSort(tmp, mid, hi);
  if (compareRecords(at(mid - 1), at(mid)) <= 0) return;
  memory.copy(tmp + (<usize>lo << 2), order + (<usize>lo << 2), <usize>n << 2);
  let i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    const a = <usize>load<u32>(tmp + (<usize>i << 2));
    const b = <usize>load<u32>(tmp + (<usize>j << 2));
    if (compareRecords(a, b) <= 0) { store<u32>(order + (<usize>k << 2), <u32>a); i++; }
    else { store<u32>(order + (<usize>k << 2), <u32>b); j++; }
    k++;
  }
  while (i < mid) { store<u32>(order + (<usize>k << 2), load<u32>(tmp + (<usize>i << 2))); i++; k++; }
  while (j < hi) { store<u32>(order + (<usize>k << 2), load<u32>(tmp + (<usize>j << 2))); j++; k++; }
}

/** Median of three positions, Bentley–McIlroy's choice (which of equal ones wins matters). */
function med3(a: i64, b: i64, c: i64): i64 {
  return cmpAt(a, b) < 0
    ? (cmpAt(b, c) < 0 ? b : (cmpAt(a, c) < 0 ? c : a))
    : (cmpAt(b, c) > 0 ? b : (cmpAt(a, c) < 0 ? a : c));
}

function vecswap(a: i64, b: i64, n: i64): void {
  for (let i: i64 = 0; i < n; i++) swapAt(a + i, b + i);
}

/**
 * Redis's pqsort: Bentley–McIlroy quicksort (NetBSD's) that only recurses into partitions
 * overlapping positions [lrange, rrange]. Reproduced step for step, since the order it leaves
 * equal elements in is visible.
 */
function pqsort(a: i64, n: i64, lrange: i64, rrange: i64): void {
  while (true) {
    if (n < 7) {
      for (let pm = a + 1; pm < a + n; pm++) {
        for (let pl = pm; pl > a && cmpAt(pl - 1, pl) > 0; pl--) swapAt(pl, pl - 1);
      }
      return;
    }
    let pm = a + (n >> 1);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = n >> 3;
        pl = med3(pl, pl + d, pl + 2 * d);
        pm = med3(pm - d, pm, pm + d);
        pn = med3(pn - 2 * d, pn - d, pn);
      }
      pm = med3(pl, pm, pn);
    }
    swapAt(a, pm);
    let pa = a + 1, pb = a + 1;
    let pc = a + n - 1, pd = a + n - 1;
    while (true) {
      let c: i32 = 0;
      while (pb <= pc && (c = cmpAt(pb, a)) <= 0) {
        if (c == 0) { swapAt(pa, pb); pa++; }
        pb++;
      }
      while (pb <= pc && (c = cmpAt(pc, a)) >= 0) {
        if (c == 0) { swapAt(pc, pd); pd--; }
        pc--;
      }
      if (pb > pc) break;
      swapAt(pb, pc);
      pb++;
      pc--;
    }
    const pn = a + n;
    let r = pa - a < pb - pa ? pa - a : pb - pa;
    vecswap(a, pb - r, r);
    r = pd - pc < pn - pd - 1 ? pd - pc : pn - pd - 1;
    vecswap(pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && overlaps(a, r, lrange, rrange)) pqsort(a, r, lrange, rrange);
    r = pd - pc;
    if (r <= 1) return;
    a = pn - r;
    n = r;
    if (!overlaps(a, n, lrange, rrange)) return;
  }
}

/** Does the partition [a, a+n) reach the wanted positions (Redis's lrange/rrange test)? */
function overlaps(a: i64, n: i64, lrange: i64, rrange: i64): bool {
  return !((lrange < a && rrange < a) || (lrange >= a + n && rrange >= a + n));
}

// ─── the command ────────────────────────────────────────────────────────────────────────────

/** Arena bytes in use (BY values). */
let arenaLen: usize = 0;

/** Copy bytes into the BY arena; returns their offset, or NO_VALUE when memory runs out. */
function arenaAdd(p: usize, n: usize): u32 {
  const need = arenaLen + n;
  if (arena == 0 || need > usableSize(arena)) {
    const cap: usize = need < 4096 ? 4096 : need + (need >> 1);
    const na = realloc(arena, cap);
    if (na == 0) return NO_VALUE;
    arena = na;
  }
  memory.copy(arena + arenaLen, p, n);
  const off = <u32>arenaLen;
  arenaLen = need;
  return off;
}

/** Free what the command allocated. */
function cleanup(vec: usize, tmp: usize): void {
  free(vec);
  free(order);
  free(tmp);
  free(arena);
  free(keyBuf);
  free(intBytes);
  intBytes = 0;
  order = 0;
  arena = 0;
  arenaLen = 0;
  keyBuf = 0;
}

/**
 * SORT and SORT_RO (`readonly`: STORE is not an option). Options are checked before the key is
 * looked up; GET patterns are not kept but found again in the arguments when writing output.
 */
function sortGeneric(readonly: bool): void {
  let desc = false, alpha = false, dontsort = false;
  let limitStart: i64 = 0, limitCount: i64 = -1;
  let byArg: i32 = 0, storeArg: i32 = 0, getops: i64 = 0;
  for (let j = 2; j < cmdArgc; j++) {
    const left = cmdArgc - j - 1;
    if (argIsCStr(j, "asc")) desc = false;
    else if (argIsCStr(j, "desc")) desc = true;
    else if (argIsCStr(j, "alpha")) alpha = true;
    else if (argIsCStr(j, "limit") && left >= 2) {
      if (!parseI64(argPtr(j + 1), argLen(j + 1))) { writeError(ERR_NOT_INT); return; }
      limitStart = parsedI64;
      if (!parseI64(argPtr(j + 2), argLen(j + 2))) { writeError(ERR_NOT_INT); return; }
      limitCount = parsedI64;
      j += 2;
    } else if (!readonly && argIsCStr(j, "store") && left >= 1) {
      storeArg = ++j;
    } else if (argIsCStr(j, "by") && left >= 1) {
      byArg = ++j;
      // a pattern without '*' (before any NUL) is a constant: nothing to sort by
      const p = argPtr(j);
      const n = cLen(p, argLen(j));
      let star = false;
      for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) == 0x2A) { star = true; break; }
      if (!star) dontsort = true;
    } else if (argIsCStr(j, "get") && left >= 1) {
      j++;
      getops++;
    } else {
      writeError(ERR_SYNTAX);
      return;
    }
  }

  const e = lookupRead(curDb, argPtr(1), argLen(1));
  if (e != 0 && !sortableType(entryType(e))) { writeError(ERR_WRONGTYPE); return; }
  const type = e != 0 ? entryType(e) : T_LIST;
  // Redis converts a sorted set to its skiplist encoding for good before sorting it
  if (type == T_ZSET && !zsetToSkiplist(entryObj(e))) { writeError(ERR_OOM); return; }
  // a set's order is its hash order: with STORE it is sorted by bytes so replicas agree
  if (dontsort && isSetType(type) && storeArg != 0) {
    dontsort = false;
    alpha = true;
    byArg = 0;
  }
  let vlen: i64 = e != 0 ? sortableLength(e) : 0;

  // LIMIT: start/end positions in the sorted result
  let start: i64 = limitStart < 0 ? 0 : limitStart;
  let end: i64;
  if (limitCount < 0) end = vlen - 1;
  else end = limitCount > vlen ? vlen - 1 : start + limitCount - 1;
  if (start >= vlen) { start = vlen - 1; end = vlen - 2; }
  if (end >= vlen) end = vlen - 1;

  // BY nosort on an ordered type with a LIMIT: load just the range, in order (DESC from the end)
  let loadFrom: i64 = 0;
  let loadDesc = false;
  const direct = dontsort && (e == 0 || hasNativeOrder(type));
  if (direct && (start != 0 || end != vlen - 1)) vlen = end - start + 1;
  if (vlen < 0) vlen = 0;
  if (direct) {
    if (end >= start) { loadFrom = start; loadDesc = desc; }
    else vlen = 0;
  }

  const vec = vlen > 0 ? alloc(<usize>vlen * REC_SIZE) : 0;
  order = vlen > 0 ? alloc(<usize>vlen << 2) : 0;
  if (vlen > 0 && (vec == 0 || order == 0)) { cleanup(vec, 0); writeError(ERR_OOM); return; }
  loadFailed = false;
  loadNative = direct;
  if (e != 0 && vlen > 0) loadElements(e, vec, loadFrom, vlen, loadDesc);
  if (loadFailed) { cleanup(vec, 0); writeError(ERR_OOM); return; }
  if (direct) { end -= start; start = 0; }
  for (let i: i64 = 0; i < vlen; i++) store<u32>(order + (<usize>i << 2), <u32>(vec + <usize>i * REC_SIZE));

  // scores or BY values, then the sort itself
  let badScore = false;
  let tmp: usize = 0;
  if (!dontsort) {
    for (let i: i64 = 0; i < vlen; i++) {
      const r = vec + <usize>i * REC_SIZE;
      let p = recPtr(r), n = recLen(r);
      if (byArg != 0) {
        if (!lookupByPattern(byArg, p, n)) continue;
        p = lookedPtr;
        n = lookedLen;
      }
      if (alpha) {
        if (byArg != 0) {
          const off = arenaAdd(p, n);
          if (off == NO_VALUE) { cleanup(vec, 0); writeError(ERR_OOM); return; }
          store<u32>(r + R_BY, off);
          store<u32>(r + R_BYLEN, <u32>n);
        }
      } else {
        // strtod over the C string: all of it must convert, without ERANGE (overflow, or an
        // inexact result below the normal range) and not to NaN
        const cl = cLen(p, n);
        const used = strtodBytes(p, cl);
        store<f64>(r + R_SCORE, parsedDouble);
        if (used != cl || parsedRange != RANGE_OK || parsedTinyInexact || isNaN(parsedDouble)) badScore = true;
      }
    }
    sortAlpha = alpha;
    sortDesc = desc;
    sortBy = byArg != 0;
    sortStore = storeArg != 0;
    if (byArg != 0 && (start != 0 || end != vlen - 1)) {
      pqsort(0, vlen, start, end);
    } else if (vlen > 1) {
      tmp = alloc(<usize>vlen << 2);
      if (tmp == 0) { cleanup(vec, 0); writeError(ERR_OOM); return; }
      mergeSort(tmp, 0, vlen);
    }
  }

  const count: i64 = end >= start ? end - start + 1 : 0;
  const outputLen: i64 = getops != 0 ? getops * count : count;
  if (badScore) {
    writeError("ERR One or more scores can't be converted into double");
  } else if (storeArg == 0) {
    writeArrayLen(outputLen);
    for (let j = start; j <= end; j++) {
      const r = at(j);
      if (getops == 0) { writeBulk(recPtr(r), recLen(r)); continue; }
      for (let a = 2; a < cmdArgc; a++) {
        if (!isGetOption(a)) { a += optionArgs(a); continue; }
        a++;
        if (lookupByPattern(a, recPtr(r), recLen(r))) writeBulk(lookedPtr, lookedLen);
        else writeNull();
      }
    }
  } else {
    storeResult(storeArg, start, end, getops, outputLen);
  }
  cleanup(vec, tmp);
}

/** Is argument a the GET keyword of an option (parsed the same way as the option loop)? */
function isGetOption(a: i32): bool {
  return argIsCStr(a, "get") && cmdArgc - a - 1 >= 1;
}

/** Arguments that follow the option at a (already validated by the parsing loop). */
function optionArgs(a: i32): i32 {
  const left = cmdArgc - a - 1;
  if (argIsCStr(a, "limit") && left >= 2) return 2;
  if ((argIsCStr(a, "store") || argIsCStr(a, "by")) && left >= 1) return 1;
  return 0;
}

/** STORE: the result becomes a list at arg si (replacing any value and TTL); empty deletes it. */
function storeResult(si: i32, start: i64, end: i64, getops: i64, outputLen: i64): void {
  if (outputLen == 0) {
    if (deleteKey(curDb, argPtr(si), argLen(si))) {
      addDirty(1);
      signalModifiedKey(curDb, argPtr(si), argLen(si));
      notifyKeyspaceEvent(NOTIFY_GENERIC, "del", argPtr(si), argLen(si), curDb);
    }
    writeInt(0);
    return;
  }
  const l = listNew();
  if (l == 0) { writeError(ERR_OOM); return; }
  for (let j = start; j <= end; j++) {
    const r = at(j);
    if (getops == 0) {
      if (!pushCopy(l, recPtr(r), recLen(r))) { listFree(l); writeError(ERR_OOM); return; }
      continue;
    }
    for (let a = 2; a < cmdArgc; a++) {
      if (!isGetOption(a)) { a += optionArgs(a); continue; }
      a++;
      const found = lookupByPattern(a, recPtr(r), recLen(r));
      if (!pushCopy(l, found ? lookedPtr : 0, found ? lookedLen : 0)) { listFree(l); writeError(ERR_OOM); return; }
    }
  }
  // the source may be the destination: its elements were copied above. Replacing an existing key
  // wakes no blocked client (Redis 7.0 overwrites it in place); creating one does.
  muteKeySignals(deleteKey(curDb, argPtr(si), argLen(si)));
  const created = createObjectKey(curDb, argPtr(si), argLen(si), T_LIST, l);
  muteKeySignals(false);
  if (created == 0) { listFree(l); writeError(ERR_OOM); return; }
  signalModifiedKey(curDb, argPtr(si), argLen(si));
  notifyKeyspaceEvent(NOTIFY_LIST, "sortstore", argPtr(si), argLen(si), curDb);
  addDirty(<u64>outputLen);
  writeInt(outputLen);
}

function pushCopy(l: usize, p: usize, n: usize): bool {
  const el = elemNew(p, n);
  if (el == 0) return false;
  if (!listPush(l, el, false)) { free(el); return false; }
  return true;
}

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination] */
export function sortCommand(): void { sortGeneric(false); }

/** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] */
export function sortRoCommand(): void { sortGeneric(true); }
