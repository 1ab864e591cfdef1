// The sorted-set value: one header over either encoding Redis 7.0 uses, with the operations the
// commands need (add with ZADD's flags, delete, score, rank, ranges by rank / score / lex,
// range deletion, conversions, iteration, random picks) independent of the encoding.
//
// Owns: zset memory (the header, its pack or dict + skiplist). Callers hold the keyspace lock.
// No replies here (see commands/zsets.ts).
//
//  Zset header (ZSET_SIZE bytes)
//  ┌──────────────────────────────────────────────────────────────┐ 0
//  │ encoding u32: ZENC_LISTPACK or ZENC_SKIPLIST                 │
//  │ pack ptr u32 (listpack) / dict ptr u32 (skiplist)            │ 4
//  │ skiplist ptr u32 (skiplist only)                             │ 8
//  └──────────────────────────────────────────────────────────────┘ 12
//
//  listpack: a pack (ds/listpack.ts) of member, score, member, score … in (score, member) order;
//            a score entry holds an integral score within ±2^55 as its fewest little-endian
//            two's-complement bytes (0 → an empty entry) and any other score as the 8 bytes of
//            the f64, so small zsets of integer scores take about what Redis's take. Redis stores
//            a listpack score as an integer when it is integral within ±2^62, so -0 becomes 0
//            there: scores stored here are normalised the same way (-0 → 0).
//  skiplist: dict (ds/dict.ts) member → 8-byte f64 score, plus the skiplist (ds/skiplist.ts).
//  A zset stays listpack while it has ≤ zset-max-listpack-entries members, each ≤
//  zset-max-listpack-value bytes; it converts to skiplist when an add would break that. Only the
//  store commands (ZUNIONSTORE …) convert back, as Redis does.

import { alloc, free } from "../alloc";
import {
  packNew, packFree, packCopy, packCount, packFirst, packNext, packStr, packLen, packFind, packInsert,
  packDelete, packAt, packReplace,
} from "./listpack";
import {
  dictNew, dictFree, dictFind, dictAdd, dictDeleteNode, dictSize, nodeVal, nodeKey, nodeKeyLen, dictRandom,
} from "./dict";
import {
  slNew, slFree, slLength, slFirst, slLast, slNext, slPrev, slScore, slMember, slMemberLen, slInsert,
  slDelete, slUpdateScore, slRank, slByRank, slFirstInRange, slLastInRange, slFirstInLex, slLastInLex,
  slDeleteRangeByScore, slDeleteRangeByLex, slDeleteRangeByRank, valueGteMin, valueLteMax, scoreRangeEmpty,
  lexGteMin, lexLteMax, lexRangeEmpty, compareBytes,
} from "./skiplist";
import { randomU32 } from "../keyspace";
import { configZsetMaxListpackEntries, configZsetMaxListpackValue } from "../config";

const Z_ENC: usize = 0;
const Z_PTR: usize = 4;
const Z_SL: usize = 8;
export const ZSET_SIZE: usize = 12;

export const ZENC_LISTPACK: u32 = 0;
export const ZENC_SKIPLIST: u32 = 1;

/** ZADD input flags. */
export const ZADD_INCR: u32 = 1;
export const ZADD_NX: u32 = 2;
export const ZADD_XX: u32 = 4;
export const ZADD_GT: u32 = 8;
export const ZADD_LT: u32 = 16;
/** zsetAdd results. */
export const ZOUT_NAN: u32 = 1;
export const ZOUT_ADDED: u32 = 2;
export const ZOUT_UPDATED: u32 = 4;
export const ZOUT_NOP: u32 = 8;
export const ZOUT_OOM: u32 = 16;

/** Score found by zsetScore, and the score an element ended with after zsetAdd. */
export let zScore: f64 = 0;
export let zNewScore: f64 = 0;

// Per-instance scratch: an 8-byte score buffer, and the listpack index (member entry addresses)
// built by the iterator. Each engine instance (thread) allocates its own on first use, so every
// entry point that writes `tmp` checks it (a zset made by one thread is changed by others).
let tmp: usize = 0;
let idxBuf: usize = 0;
let idxCap: u32 = 0;
let idxCount: u32 = 0;

function tmpBuf(): usize {
  if (tmp == 0) tmp = alloc(16);
  return tmp;
}

// @ts-ignore: decorator
@inline export function zsetEncoding(zs: usize): u32 { return load<u32>(zs + Z_ENC); }
// @ts-ignore: decorator
@inline function packOf(zs: usize): usize { return <usize>load<u32>(zs + Z_PTR); }
// @ts-ignore: decorator
@inline function dictOf(zs: usize): usize { return <usize>load<u32>(zs + Z_PTR); }
// @ts-ignore: decorator
@inline function slOf(zs: usize): usize { return <usize>load<u32>(zs + Z_SL); }

/** Score stored in the score entry `s` of a pack (see the header for the two forms). */
function entryScore(s: usize): f64 {
  const n = packLen(s);
  const p = packStr(s);
  if (n == 8) return load<f64>(p);
  let v: i64 = 0;
  for (let i: usize = 0; i < n; i++) v |= <i64>load<u8>(p + i) << (<i64>i << 3);
  if (n != 0) { const shift = <i64>(64 - (n << 3)); v = (v << shift) >> shift; }
  return <f64>v;
}

/** 2^55: integral scores below this in magnitude fit the 0..7-byte integer form. */
const INT_SCORE_LIMIT: f64 = 36028797018963968.0;

/** Write score's pack entry bytes to tmp; returns their length (0..7 integer bytes, or 8). */
function scoreEntry(score: f64): usize {
  if (score == Math.floor(score) && Math.abs(score) < INT_SCORE_LIMIT) {
    const v = <i64>score;
    store<i64>(tmp, v);
    if (v == 0) return 0;
    // fewest bytes whose sign extension gives v back (7 hold every value below 2^55)
    let n: usize = 1;
    while (n < 7) {
      const sh = 64 - <i64>(n << 3);
      if (((v << sh) >> sh) == v) break;
      n++;
    }
    return n;
  }
  store<f64>(tmp, score);
  return 8;
}

// ─── creation, copies, conversions ──────────────────────────────────────────────────────────

/** A new empty zset in the listpack (or skiplist) encoding; 0 when memory is exhausted. */
export function zsetNew(listpack: bool): usize {
  if (tmpBuf() == 0) return 0;
  const zs = alloc(ZSET_SIZE);
  if (zs == 0) return 0;
  if (listpack) {
    const p = packNew();
    if (p == 0) { free(zs); return 0; }
    store<u32>(zs + Z_ENC, ZENC_LISTPACK);
    store<u32>(zs + Z_PTR, <u32>p);
    store<u32>(zs + Z_SL, 0);
    return zs;
  }
  const d = dictNew();
  const sl = slNew();
  if (d == 0 || sl == 0) {
    if (d != 0) dictFree(d);
    if (sl != 0) slFree(sl);
    free(zs);
    return 0;
  }
  store<u32>(zs + Z_ENC, ZENC_SKIPLIST);
  store<u32>(zs + Z_PTR, <u32>d);
  store<u32>(zs + Z_SL, <u32>sl);
  return zs;
}

/** Free the zset and everything it holds. */
export function zsetFree(zs: usize): void {
  if (zsetEncoding(zs) == ZENC_LISTPACK) packFree(packOf(zs));
  else { dictFree(dictOf(zs)); slFree(slOf(zs)); }
  free(zs);
}

/** Number of members. */
export function zsetLength(zs: usize): u32 {
  return zsetEncoding(zs) == ZENC_LISTPACK ? packCount(packOf(zs)) >> 1 : slLength(slOf(zs));
}

/** Add (score, member) to a skiplist zset's dict and list; false when memory is exhausted. */
function slAdd(zs: usize, score: f64, m: usize, mlen: usize): bool {
  const sl = slOf(zs);
  if (slInsert(sl, score, m, mlen) == 0) return false;
  store<f64>(tmp, score);
  if (dictAdd(dictOf(zs), m, mlen, tmp, 8) == 0) { slDelete(sl, score, m, mlen); return false; }
  return true;
}

/** A deep copy in the same encoding (COPY); 0 when memory is exhausted. */
export function zsetCopy(zs: usize): usize {
  if (tmpBuf() == 0) return 0;
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    const c = alloc(ZSET_SIZE);
    if (c == 0) return 0;
    const p = packCopy(packOf(zs));
    if (p == 0) { free(c); return 0; }
    store<u32>(c + Z_ENC, ZENC_LISTPACK);
    store<u32>(c + Z_PTR, <u32>p);
    store<u32>(c + Z_SL, 0);
    return c;
  }
  const c = zsetNew(false);
  if (c == 0) return 0;
  // from the highest down: each insert lands at the head of the new list
  for (let n = slLast(slOf(zs)); n != 0; n = slPrev(n)) {
    if (!slAdd(c, slScore(n), slMember(n), slMemberLen(n))) { zsetFree(c); return 0; }
  }
  return c;
}

/** Convert a listpack zset to a skiplist; false (zset unchanged) when memory is exhausted. */
export function zsetToSkiplist(zs: usize): bool {
  if (zsetEncoding(zs) == ZENC_SKIPLIST) return true;
  if (tmpBuf() == 0) return false;
  const d = dictNew();
  const sl = slNew();
  if (d == 0 || sl == 0) {
    if (d != 0) dictFree(d);
    if (sl != 0) slFree(sl);
    return false;
  }
  const p = packOf(zs);
  store<u32>(zs + Z_ENC, ZENC_SKIPLIST);
  store<u32>(zs + Z_PTR, <u32>d);
  store<u32>(zs + Z_SL, <u32>sl);
  for (let it = packFirst(p); it != 0; ) {
    const s = packNext(p, it);
    if (!slAdd(zs, entryScore(s), packStr(it), packLen(it))) {
      dictFree(d); slFree(sl);
      store<u32>(zs + Z_ENC, ZENC_LISTPACK);
      store<u32>(zs + Z_PTR, <u32>p);
      store<u32>(zs + Z_SL, 0);
      return false;
    }
    it = packNext(p, s);
  }
  packFree(p);
  return true;
}

/** Append (member, score) at the end of a pack held at `slot`; false when memory is exhausted. */
function packAppendPair(slot: usize, m: usize, mlen: usize, score: f64): bool {
  const slen = scoreEntry(score);
  if (!packInsert(slot, 0, m, mlen)) return false;
  if (!packInsert(slot, 0, tmp, slen)) {
    const p = <usize>load<u32>(slot);
    packDelete(slot, packAt(p, packCount(p) - 1), 1);
    return false;
  }
  return true;
}

/**
 * Convert a skiplist zset to a listpack when it fits the listpack limits (`maxLen`: the longest
 * member). Store commands do this, as Redis's zsetConvertToListpackIfNeeded. Stays a skiplist
 * when memory is exhausted.
 */
export function zsetMaybeToListpack(zs: usize, maxLen: usize): void {
  if (zsetEncoding(zs) == ZENC_LISTPACK) return;
  if (zsetLength(zs) > configZsetMaxListpackEntries() || maxLen > <usize>configZsetMaxListpackValue()) return;
  if (tmpBuf() == 0) return;
  const p = packNew();
  if (p == 0) return;
  const slot = tmp + 8;
  store<u32>(slot, <u32>p);
  for (let n = slFirst(slOf(zs)); n != 0; n = slNext(n)) {
    if (!packAppendPair(slot, slMember(n), slMemberLen(n), slScore(n))) { packFree(load<u32>(slot)); return; }
  }
  dictFree(dictOf(zs));
  slFree(slOf(zs));
  store<u32>(zs + Z_ENC, ZENC_LISTPACK);
  store<u32>(zs + Z_PTR, load<u32>(slot));
  store<u32>(zs + Z_SL, 0);
}

// ─── lookups ────────────────────────────────────────────────────────────────────────────────

/** Score of member [m, mlen) into zScore; false when it is not in the zset. */
export function zsetScore(zs: usize, m: usize, mlen: usize): bool {
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    const p = packOf(zs);
    const it = packFind(p, m, mlen, 2);
    if (it == 0) return false;
    zScore = entryScore(packNext(p, it));
    return true;
  }
  const n = dictFind(dictOf(zs), m, mlen);
  if (n == 0) return false;
  zScore = load<f64>(nodeVal(n));
  return true;
}

/** 0-based rank of member [m, mlen) (from the highest when `reverse`), -1 when absent. */
export function zsetRank(zs: usize, m: usize, mlen: usize, reverse: bool): i64 {
  const len = <i64>zsetLength(zs);
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    const p = packOf(zs);
    let rank: i64 = 0;
    for (let it = packFirst(p); it != 0; it = packNext(p, packNext(p, it))) {
      if (packLen(it) == mlen && memory.compare(packStr(it), m, mlen) == 0) return reverse ? len - 1 - rank : rank;
      rank++;
    }
    return -1;
  }
  const n = dictFind(dictOf(zs), m, mlen);
  if (n == 0) return -1;
  const r = <i64>slRank(slOf(zs), load<f64>(nodeVal(n)), m, mlen);
  return reverse ? len - r : r - 1;
}

// ─── adding and deleting ────────────────────────────────────────────────────────────────────

/** Does the pair at member entry `it` sort before (score, member)? */
function packBefore(p: usize, it: usize, score: f64, m: usize, mlen: usize): bool {
  const s = entryScore(packNext(p, it));
  return s < score || (s == score && compareBytes(packStr(it), packLen(it), m, mlen) < 0);
}

/** Insert (score, member) at its place in a listpack zset; false when memory is exhausted. */
function packInsertSorted(zs: usize, score: f64, m: usize, mlen: usize): bool {
  if (score == 0) score = 0.0; // -0 is stored as 0 (see the header)
  const slot = zs + Z_PTR;
  let p = packOf(zs);
  let it = packFirst(p);
  while (it != 0 && packBefore(p, it, score, m, mlen)) it = packNext(p, packNext(p, it));
  if (it == 0) return packAppendPair(slot, m, mlen, score);
  const off = it - p;
  if (!packInsert(slot, it, m, mlen)) return false;
  p = <usize>load<u32>(slot);
  const slen = scoreEntry(score);
  if (!packInsert(slot, packNext(p, p + off), tmp, slen)) {
    packDelete(slot, <usize>load<u32>(slot) + off, 1);
    return false;
  }
  return true;
}

/**
 * Add or update member [m, mlen) with ZADD's semantics (flags ZADD_*): returns ZOUT_* flags;
 * the element's resulting score is in zNewScore (when not NOP). May convert the zset to a
 * skiplist. ZOUT_NAN: the score (or score + increment) is NaN; ZOUT_OOM: memory exhausted.
 */
export function zsetAdd(zs: usize, score: f64, m: usize, mlen: usize, flags: u32): u32 {
  const incr = (flags & ZADD_INCR) != 0;
  const nx = (flags & ZADD_NX) != 0, xx = (flags & ZADD_XX) != 0;
  const gt = (flags & ZADD_GT) != 0, lt = (flags & ZADD_LT) != 0;
  if (isNaN(score)) return ZOUT_NAN;
  if (tmpBuf() == 0) return ZOUT_OOM;
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    const p = packOf(zs);
    const it = packFind(p, m, mlen, 2);
    if (it != 0) {
      if (nx) return ZOUT_NOP;
      const sEntry = packNext(p, it);
      const cur = entryScore(sEntry);
      if (incr) { score += cur; if (isNaN(score)) return ZOUT_NAN; }
      if ((lt && score >= cur) || (gt && score <= cur)) return ZOUT_NOP;
      zNewScore = score;
      if (score == cur) return 0;
      // keep the place when the order allows it (no reallocation), else move the pair
      const next = packNext(p, sEntry);
      const stored = score == 0 ? 0.0 : score;
      let inPlace = next == 0 || !packBefore(p, next, stored, m, mlen);
      if (inPlace && it != packFirst(p)) {
        // the previous pair must still sort before: find it
        let prev = packFirst(p);
        while (packNext(p, packNext(p, prev)) != it) prev = packNext(p, packNext(p, prev));
        inPlace = packBefore(p, prev, stored, m, mlen);
      }
      if (inPlace) {
        const slen = scoreEntry(stored);
        return packReplace(zs + Z_PTR, sEntry, tmp, slen) ? ZOUT_UPDATED : ZOUT_OOM;
      }
      packDelete(zs + Z_PTR, it, 2);
      if (!packInsertSorted(zs, score, m, mlen)) return ZOUT_OOM;
      return ZOUT_UPDATED;
    }
    if (xx) return ZOUT_NOP;
    if ((packCount(p) >> 1) + 1 > configZsetMaxListpackEntries() || mlen > <usize>configZsetMaxListpackValue()) {
      if (!zsetToSkiplist(zs)) return ZOUT_OOM;
    } else {
      if (!packInsertSorted(zs, score, m, mlen)) return ZOUT_OOM;
      zNewScore = score;
      return ZOUT_ADDED;
    }
  }
  const d = dictOf(zs);
  const n = dictFind(d, m, mlen);
  if (n != 0) {
    if (nx) return ZOUT_NOP;
    const cur = load<f64>(nodeVal(n));
    if (incr) { score += cur; if (isNaN(score)) return ZOUT_NAN; }
    if ((lt && score >= cur) || (gt && score <= cur)) return ZOUT_NOP;
    zNewScore = score;
    if (score == cur) return 0;
    if (slUpdateScore(slOf(zs), cur, m, mlen, score) == 0) return ZOUT_OOM;
    store<f64>(nodeVal(n), score);
    return ZOUT_UPDATED;
  }
  if (xx) return ZOUT_NOP;
  if (!slAdd(zs, score, m, mlen)) return ZOUT_OOM;
  zNewScore = score;
  return ZOUT_ADDED;
}

/** Remove member [m, mlen); true if it was there. */
export function zsetDelete(zs: usize, m: usize, mlen: usize): bool {
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    const it = packFind(packOf(zs), m, mlen, 2);
    if (it == 0) return false;
    packDelete(zs + Z_PTR, it, 2);
    return true;
  }
  const d = dictOf(zs);
  const n = dictFind(d, m, mlen);
  if (n == 0) return false;
  const score = load<f64>(nodeVal(n));
  // the node's key bytes are the member: delete from the skiplist before freeing the node
  slDelete(slOf(zs), score, m, mlen);
  dictDeleteNode(d, n);
  return true;
}

// ─── iteration ──────────────────────────────────────────────────────────────────────────────
// One iterator per engine instance (commands never walk two zsets at once). For a listpack it
// walks an index of member entry addresses built at the start (so reverse walks are O(1) a
// step); it is valid until the zset changes.

let itEnc: u32 = 0;
let itPos: i64 = -1;   // listpack: index in idxBuf
let itNode: usize = 0; // skiplist: current node
let itRev: bool = false;
let itPack: usize = 0;

/** Build the member index of a listpack zset; false when memory is exhausted. */
function buildIndex(p: usize): bool {
  const n = packCount(p) >> 1;
  if (n > idxCap) {
    const cap = n < 64 ? 64 : n * 2;
    const b = alloc(<usize>cap << 2);
    if (b == 0) return false;
    free(idxBuf);
    idxBuf = b;
    idxCap = cap;
  }
  let i: u32 = 0;
  for (let it = packFirst(p); it != 0; it = packNext(p, packNext(p, it))) { store<u32>(idxBuf + (<usize>i << 2), <u32>it); i++; }
  idxCount = n;
  return true;
}

// @ts-ignore: decorator
@inline function idxAt(i: i64): usize { return <usize>load<u32>(idxBuf + (<usize>i << 2)); }

/** Start the iterator (no element yet); false when memory is exhausted. */
function iterStart(zs: usize, reverse: bool): bool {
  itEnc = zsetEncoding(zs);
  itRev = reverse;
  itPos = -1;
  itNode = 0;
  if (itEnc == ZENC_LISTPACK) {
    itPack = packOf(zs);
    if (!buildIndex(itPack)) return false;
  }
  return true;
}

/** Position the iterator at 0-based rank `rank` counted in the walk's direction (highest first when reverse). */
export function iterAtRank(zs: usize, rank: i64, reverse: bool): bool {
  if (!iterStart(zs, reverse)) return false;
  const len = <i64>zsetLength(zs);
  if (itEnc == ZENC_LISTPACK) {
    itPos = reverse ? len - 1 - rank : rank;
    if (itPos < 0 || itPos >= len) itPos = -1;
  } else {
    const sl = slOf(zs);
    if (rank < 0 || rank >= len) itNode = 0;
    else if (reverse) itNode = rank == 0 ? slLast(sl) : slByRank(sl, <u32>(len - rank));
    else itNode = rank == 0 ? slFirst(sl) : slByRank(sl, <u32>(rank + 1));
  }
  return true;
}

/**
 * Position the iterator at the first element within the score range (the last one when
 * reverse), as Redis's zzlFirstInRange/zslFirstInRange; the iterator is invalid when none.
 */
export function iterAtScoreRange(zs: usize, reverse: bool): bool {
  if (!iterStart(zs, reverse)) return false;
  if (itEnc == ZENC_LISTPACK) {
    const n = <i64>idxCount;
    if (scoreRangeEmpty() || n == 0) return true;
    if (!valueGteMin(entryScore(packNext(itPack, idxAt(n - 1)))) || !valueLteMax(entryScore(packNext(itPack, idxAt(0))))) return true;
    if (!reverse) {
      for (let i: i64 = 0; i < n; i++) {
        const s = entryScore(packNext(itPack, idxAt(i)));
        if (valueGteMin(s)) { if (valueLteMax(s)) itPos = i; break; }
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        const s = entryScore(packNext(itPack, idxAt(i)));
        if (valueLteMax(s)) { if (valueGteMin(s)) itPos = i; break; }
      }
    }
  } else {
    itNode = reverse ? slLastInRange(slOf(zs)) : slFirstInRange(slOf(zs));
  }
  return true;
}

/** As iterAtScoreRange for the lex range (zzlFirstInLexRange/zslFirstInLexRange). */
export function iterAtLexRange(zs: usize, reverse: bool): bool {
  if (!iterStart(zs, reverse)) return false;
  if (itEnc == ZENC_LISTPACK) {
    const n = <i64>idxCount;
    if (lexRangeEmpty() || n == 0) return true;
    const last = idxAt(n - 1), first = idxAt(0);
    if (!lexGteMin(packStr(last), packLen(last)) || !lexLteMax(packStr(first), packLen(first))) return true;
    if (!reverse) {
      for (let i: i64 = 0; i < n; i++) {
        const e = idxAt(i);
        if (lexGteMin(packStr(e), packLen(e))) { if (lexLteMax(packStr(e), packLen(e))) itPos = i; break; }
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        const e = idxAt(i);
        if (lexLteMax(packStr(e), packLen(e))) { if (lexGteMin(packStr(e), packLen(e))) itPos = i; break; }
      }
    }
  } else {
    itNode = reverse ? slLastInLex(slOf(zs)) : slFirstInLex(slOf(zs));
  }
  return true;
}

/** Walk every element from the highest down (Redis's order for union/inter/diff sources). */
export function iterFromTop(zs: usize): bool { return iterAtRank(zs, 0, true); }

export function iterValid(): bool { return itEnc == ZENC_LISTPACK ? itPos >= 0 : itNode != 0; }
export function iterMember(): usize { return itEnc == ZENC_LISTPACK ? packStr(idxAt(itPos)) : slMember(itNode); }
export function iterMemberLen(): usize { return itEnc == ZENC_LISTPACK ? packLen(idxAt(itPos)) : slMemberLen(itNode); }
export function iterScore(): f64 { return itEnc == ZENC_LISTPACK ? entryScore(packNext(itPack, idxAt(itPos))) : slScore(itNode); }

/** Step in the walk's direction (invalid past the end). */
export function iterNext(): void {
  if (itEnc == ZENC_LISTPACK) {
    if (itRev) itPos--; else { itPos++; if (itPos >= <i64>idxCount) itPos = -1; }
  } else itNode = itRev ? slPrev(itNode) : slNext(itNode);
}

// ─── range deletion ─────────────────────────────────────────────────────────────────────────

/** Delete 0-based ranks [start, end] (valid, start <= end); returns how many. */
export function zsetDeleteRangeByRank(zs: usize, start: i64, end: i64): u32 {
  const n = <u32>(end - start + 1);
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    packDelete(zs + Z_PTR, packAt(packOf(zs), <u32>(start * 2)), n * 2);
    return n;
  }
  return slDeleteRangeByRank(slOf(zs), <u32>start + 1, <u32>end + 1, dictOf(zs));
}

/** Delete the members within the score range; returns how many. */
export function zsetDeleteRangeByScore(zs: usize): u32 {
  if (zsetEncoding(zs) == ZENC_SKIPLIST) return slDeleteRangeByScore(slOf(zs), dictOf(zs));
  if (!iterAtScoreRange(zs, false) || !iterValid()) return 0;
  const first = itPos;
  let i = first;
  while (i < <i64>idxCount && valueLteMax(entryScore(packNext(itPack, idxAt(i))))) i++;
  const n = <u32>(i - first);
  packDelete(zs + Z_PTR, idxAt(first), n * 2);
  return n;
}

/** Delete the members within the lex range; returns how many. */
export function zsetDeleteRangeByLex(zs: usize): u32 {
  if (zsetEncoding(zs) == ZENC_SKIPLIST) return slDeleteRangeByLex(slOf(zs), dictOf(zs));
  if (!iterAtLexRange(zs, false) || !iterValid()) return 0;
  const first = itPos;
  let i = first;
  while (i < <i64>idxCount && lexLteMax(packStr(idxAt(i)), packLen(idxAt(i)))) i++;
  const n = <u32>(i - first);
  packDelete(zs + Z_PTR, idxAt(first), n * 2);
  return n;
}

// ─── counting ───────────────────────────────────────────────────────────────────────────────

/** Members within the score range (ZCOUNT). */
export function zsetCountInScoreRange(zs: usize): i64 {
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    if (!iterAtScoreRange(zs, false)) return 0;
    let c: i64 = 0;
    while (iterValid() && valueLteMax(iterScore())) { c++; iterNext(); }
    return c;
  }
  const sl = slOf(zs);
  const first = slFirstInRange(sl);
  if (first == 0) return 0;
  const len = <i64>slLength(sl);
  let count = len - (<i64>slRank(sl, slScore(first), slMember(first), slMemberLen(first)) - 1);
  const last = slLastInRange(sl);
  if (last != 0) count -= len - <i64>slRank(sl, slScore(last), slMember(last), slMemberLen(last));
  return count;
}

/** Members within the lex range (ZLEXCOUNT). */
export function zsetCountInLexRange(zs: usize): i64 {
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    if (!iterAtLexRange(zs, false)) return 0;
    let c: i64 = 0;
    while (iterValid() && lexLteMax(iterMember(), iterMemberLen())) { c++; iterNext(); }
    return c;
  }
  const sl = slOf(zs);
  const first = slFirstInLex(sl);
  if (first == 0) return 0;
  const len = <i64>slLength(sl);
  let count = len - (<i64>slRank(sl, slScore(first), slMember(first), slMemberLen(first)) - 1);
  const last = slLastInLex(sl);
  if (last != 0) count -= len - <i64>slRank(sl, slScore(last), slMember(last), slMemberLen(last));
  return count;
}

// ─── random members and SCAN ────────────────────────────────────────────────────────────────

/** A random member (zset not empty): its bytes and score in randMember / randMemberLen / randScore. */
export let randMember: usize = 0;
export let randMemberLen: usize = 0;
export let randScore: f64 = 0;

export function zsetRandom(zs: usize): void {
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    const p = packOf(zs);
    const i = randomU32() % (packCount(p) >> 1);
    const it = packAt(p, i * 2);
    randMember = packStr(it); randMemberLen = packLen(it); randScore = entryScore(packNext(p, it));
  } else {
    const n = dictRandom(dictOf(zs));
    randMember = nodeKey(n); randMemberLen = nodeKeyLen(n); randScore = load<f64>(nodeVal(n));
  }
}

/** The lowest (or highest, `max`) member into randMember / randMemberLen / randScore (zset not empty). */
export function zsetEdge(zs: usize, max: bool): void {
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    const p = packOf(zs);
    const it = max ? packAt(p, packCount(p) - 2) : packFirst(p);
    randMember = packStr(it); randMemberLen = packLen(it); randScore = entryScore(packNext(p, it));
  } else {
    const n = max ? slLast(slOf(zs)) : slFirst(slOf(zs));
    randMember = slMember(n); randMemberLen = slMemberLen(n); randScore = slScore(n);
  }
}

/** The listpack index (built by iterAtRank & co.) for random picks: count and entry i's fields. */
export function packIndexCount(): u32 { return idxCount; }
export function packIndexMember(i: u32): usize { return packStr(idxAt(<i64>i)); }
export function packIndexMemberLen(i: u32): usize { return packLen(idxAt(<i64>i)); }
export function packIndexScore(i: u32): f64 { return entryScore(packNext(itPack, idxAt(<i64>i))); }

/** The dict of a skiplist zset (ZSCAN walks its buckets; values are 8-byte scores). */
export function zsetDict(zs: usize): usize { return dictOf(zs); }
export function zsetDictSize(zs: usize): u32 { return dictSize(dictOf(zs)); }
