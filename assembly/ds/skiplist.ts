// The skiplist of a large sorted set: members ordered by (score, member bytes), with spans so that
// ranks are found in O(log n), and a backward link on level 0 for reverse walks. Also the score
// and lexicographic range specifications (and their tests) shared with the listpack form.
//
// Owns: skiplist memory (header, nodes). Callers hold the keyspace lock. The member → score
// dict of a large zset lives in zset.ts; range deletions here remove members from it too.
//
//  Skiplist (SL_SIZE bytes)                 Node (NODE_FIXED + 8 × levels + mlen bytes)
//  ┌───────────────────────────┐ 0          ┌─────────────────────────────────────────┐ 0
//  │ head ptr u32 (32 levels)  │            │ score f64                               │
//  │ tail ptr u32 (0 if empty) │ 4          │ backward u32 (0 for the first node)     │ 8
//  │ length u32                │ 8          │ mlen u32                                │ 12
//  │ level u32 (levels in use) │ 12         │ levels u32                              │ 16
//  └───────────────────────────┘ 16         │ level i: forward u32 · span u32         │ 20 + 8i
//                                           │ member bytes [mlen]                     │ 20 + 8·levels
//                                           └─────────────────────────────────────────┘
//  span of level i = number of level-0 steps the forward link jumps (0 when forward is 0 at the
//  head). A node's rank (1-based) is the sum of spans walked from the head to reach it.
//  Levels are drawn with p = 1/4 up to 32, from the engine PRNG.

import { alloc, free } from "../alloc";
import { randomU32 } from "../keyspace";
import { dictDelete } from "./dict";

const S_HEAD: usize = 0;
const S_TAIL: usize = 4;
const S_LEN: usize = 8;
const S_LEVEL: usize = 12;
export const SL_SIZE: usize = 16;

const N_SCORE: usize = 0;
const N_BACK: usize = 8;
const N_MLEN: usize = 12;
const N_LEVELS: usize = 16;
const N_LEVEL0: usize = 20;

export const SL_MAX_LEVEL: u32 = 32;

// ─── nodes ──────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function slScore(n: usize): f64 { return load<f64>(n + N_SCORE); }
// @ts-ignore: decorator
@inline export function slMemberLen(n: usize): usize { return <usize>load<u32>(n + N_MLEN); }
// @ts-ignore: decorator
@inline export function slMember(n: usize): usize { return n + N_LEVEL0 + (<usize>load<u32>(n + N_LEVELS) << 3); }
/** The next node in order (level 0 forward), 0 after the last. */
// @ts-ignore: decorator
@inline export function slNext(n: usize): usize { return <usize>load<u32>(n + N_LEVEL0); }
/** The previous node in order, 0 before the first. */
// @ts-ignore: decorator
@inline export function slPrev(n: usize): usize { return <usize>load<u32>(n + N_BACK); }

// @ts-ignore: decorator
@inline function fwd(n: usize, i: u32): usize { return <usize>load<u32>(n + N_LEVEL0 + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function setFwd(n: usize, i: u32, v: usize): void { store<u32>(n + N_LEVEL0 + (<usize>i << 3), <u32>v); }
// @ts-ignore: decorator
@inline function span(n: usize, i: u32): u32 { return load<u32>(n + N_LEVEL0 + (<usize>i << 3) + 4); }
// @ts-ignore: decorator
@inline function setSpan(n: usize, i: u32, v: u32): void { store<u32>(n + N_LEVEL0 + (<usize>i << 3) + 4, v); }

/** memcmp-then-length order of byte strings (Redis's sdscmp): <0, 0, >0. */
export function compareBytes(a: usize, alen: usize, b: usize, blen: usize): i32 {
  const n = alen < blen ? alen : blen;
  const c = memory.compare(a, b, n);
  if (c != 0) return c;
  return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

/** Does node x sort before (score, member)? */
// @ts-ignore: decorator
@inline
function before(x: usize, score: f64, m: usize, mlen: usize): bool {
  const s = slScore(x);
  return s < score || (s == score && compareBytes(slMember(x), slMemberLen(x), m, mlen) < 0);
}

function nodeNew(levels: u32, score: f64, m: usize, mlen: usize): usize {
  const n = alloc(N_LEVEL0 + (<usize>levels << 3) + mlen);
  if (n == 0) return 0;
  store<f64>(n + N_SCORE, score);
  store<u32>(n + N_BACK, 0);
  store<u32>(n + N_MLEN, <u32>mlen);
  store<u32>(n + N_LEVELS, levels);
  memory.fill(n + N_LEVEL0, 0, <usize>levels << 3);
  memory.copy(n + N_LEVEL0 + (<usize>levels << 3), m, mlen);
  return n;
}

function randomLevel(): u32 {
  let level: u32 = 1;
  while (level < SL_MAX_LEVEL && randomU32() < 0x40000000) level++;
  return level;
}

// Per-instance work arrays for insert/delete (the predecessor and rank at every level). Every
// engine instance (thread) allocates its own on first use: a skiplist created by one thread is
// changed by others.
let updateBuf: usize = 0;
function ready(): bool {
  if (updateBuf == 0) updateBuf = alloc(256);
  return updateBuf != 0;
}
// @ts-ignore: decorator
@inline function upd(i: u32): usize { return <usize>load<u32>(updateBuf + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setUpd(i: u32, n: usize): void { store<u32>(updateBuf + (<usize>i << 2), <u32>n); }
// @ts-ignore: decorator
@inline function rnk(i: u32): u32 { return load<u32>(updateBuf + 128 + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setRnk(i: u32, v: u32): void { store<u32>(updateBuf + 128 + (<usize>i << 2), v); }

// ─── the list ───────────────────────────────────────────────────────────────────────────────

/** A new empty skiplist; 0 when memory is exhausted. */
export function slNew(): usize {
  if (!ready()) return 0;
  const sl = alloc(SL_SIZE);
  if (sl == 0) return 0;
  const head = nodeNew(SL_MAX_LEVEL, 0, 0, 0);
  if (head == 0) { free(sl); return 0; }
  store<u32>(sl + S_HEAD, <u32>head);
  store<u32>(sl + S_TAIL, 0);
  store<u32>(sl + S_LEN, 0);
  store<u32>(sl + S_LEVEL, 1);
  return sl;
}

// @ts-ignore: decorator
@inline export function slLength(sl: usize): u32 { return load<u32>(sl + S_LEN); }
/** The first (lowest) node, or 0. */
// @ts-ignore: decorator
@inline export function slFirst(sl: usize): usize { return fwd(<usize>load<u32>(sl + S_HEAD), 0); }
/** The last (highest) node, or 0. */
// @ts-ignore: decorator
@inline export function slLast(sl: usize): usize { return <usize>load<u32>(sl + S_TAIL); }

/** Free the skiplist and every node. */
export function slFree(sl: usize): void {
  let n = slFirst(sl);
  while (n != 0) { const next = slNext(n); free(n); n = next; }
  free(<usize>load<u32>(sl + S_HEAD));
  free(sl);
}

/** Link node x (not in the list) at its place. */
function insertNode(sl: usize, x: usize): void {
  const score = slScore(x), m = slMember(x), mlen = slMemberLen(x);
  const head = <usize>load<u32>(sl + S_HEAD);
  let level = load<u32>(sl + S_LEVEL);
  let p = head;
  for (let i = <i32>level - 1; i >= 0; i--) {
    const li = <u32>i;
    setRnk(li, li == level - 1 ? 0 : rnk(li + 1));
    while (fwd(p, li) != 0 && before(fwd(p, li), score, m, mlen)) {
      setRnk(li, rnk(li) + span(p, li));
      p = fwd(p, li);
    }
    setUpd(li, p);
  }
  const xl = load<u32>(x + N_LEVELS);
  const len = load<u32>(sl + S_LEN);
  if (xl > level) {
    for (let i = level; i < xl; i++) { setRnk(i, 0); setUpd(i, head); setSpan(head, i, len); }
    level = xl;
    store<u32>(sl + S_LEVEL, level);
  }
  for (let i: u32 = 0; i < xl; i++) {
    const u = upd(i);
    setFwd(x, i, fwd(u, i));
    setFwd(u, i, x);
    setSpan(x, i, span(u, i) - (rnk(0) - rnk(i)));
    setSpan(u, i, rnk(0) - rnk(i) + 1);
  }
  for (let i = xl; i < level; i++) setSpan(upd(i), i, span(upd(i), i) + 1);
  store<u32>(x + N_BACK, upd(0) == head ? 0 : <u32>upd(0));
  if (fwd(x, 0) != 0) store<u32>(fwd(x, 0) + N_BACK, <u32>x);
  else store<u32>(sl + S_TAIL, <u32>x);
  store<u32>(sl + S_LEN, len + 1);
}

/** Insert (score, member) (the member must be absent). Returns the node, 0 when memory is exhausted. */
export function slInsert(sl: usize, score: f64, m: usize, mlen: usize): usize {
  if (!ready()) return 0;
  const x = nodeNew(randomLevel(), score, m, mlen);
  if (x == 0) return 0;
  insertNode(sl, x);
  return x;
}

/** Unlink x given the predecessors in the update array. */
function unlinkNode(sl: usize, x: usize): void {
  const level = load<u32>(sl + S_LEVEL);
  for (let i: u32 = 0; i < level; i++) {
    const u = upd(i);
    if (fwd(u, i) == x) {
      setSpan(u, i, span(u, i) + span(x, i) - 1);
      setFwd(u, i, fwd(x, i));
    } else {
      setSpan(u, i, span(u, i) - 1);
    }
  }
  if (fwd(x, 0) != 0) store<u32>(fwd(x, 0) + N_BACK, load<u32>(x + N_BACK));
  else store<u32>(sl + S_TAIL, load<u32>(x + N_BACK));
  const head = <usize>load<u32>(sl + S_HEAD);
  let l = level;
  while (l > 1 && fwd(head, l - 1) == 0) l--;
  store<u32>(sl + S_LEVEL, l);
  store<u32>(sl + S_LEN, load<u32>(sl + S_LEN) - 1);
}

/** Fill the update array with the predecessors of (score, member); returns the candidate node. */
function seek(sl: usize, score: f64, m: usize, mlen: usize): usize {
  let p = <usize>load<u32>(sl + S_HEAD);
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    const li = <u32>i;
    while (fwd(p, li) != 0 && before(fwd(p, li), score, m, mlen)) p = fwd(p, li);
    setUpd(li, p);
  }
  return fwd(p, 0);
}

/** Remove and free the node (score, member); false if it is not there. */
export function slDelete(sl: usize, score: f64, m: usize, mlen: usize): bool {
  if (!ready()) return false;
  const x = seek(sl, score, m, mlen);
  if (x == 0 || slScore(x) != score || compareBytes(slMember(x), slMemberLen(x), m, mlen) != 0) return false;
  unlinkNode(sl, x);
  free(x);
  return true;
}

/**
 * Change the score of node (cur, member) to `score`; returns the node holding it now (the same
 * one when it keeps its place), 0 when memory is exhausted (the list is unchanged).
 */
export function slUpdateScore(sl: usize, cur: f64, m: usize, mlen: usize, score: f64): usize {
  if (!ready()) return 0;
  const x = seek(sl, cur, m, mlen);
  const back = slPrev(x), next = slNext(x);
  if ((back == 0 || slScore(back) < score) && (next == 0 || slScore(next) > score)) {
    store<f64>(x + N_SCORE, score);
    return x;
  }
  const y = nodeNew(randomLevel(), score, slMember(x), slMemberLen(x));
  if (y == 0) return 0;
  unlinkNode(sl, x);
  free(x);
  insertNode(sl, y);
  return y;
}

/** 1-based rank of (score, member), 0 when it is not in the list. */
export function slRank(sl: usize, score: f64, m: usize, mlen: usize): u32 {
  let p = <usize>load<u32>(sl + S_HEAD);
  let rank: u32 = 0;
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    const li = <u32>i;
    while (fwd(p, li) != 0) {
      const f = fwd(p, li);
      const s = slScore(f);
      if (s < score || (s == score && compareBytes(slMember(f), slMemberLen(f), m, mlen) <= 0)) {
        rank += span(p, li);
        p = f;
      } else break;
    }
    if (p != <usize>load<u32>(sl + S_HEAD) && slScore(p) == score &&
        compareBytes(slMember(p), slMemberLen(p), m, mlen) == 0) return rank;
  }
  return 0;
}

/** The node at 1-based rank, or 0. */
export function slByRank(sl: usize, rank: u32): usize {
  let p = <usize>load<u32>(sl + S_HEAD);
  let traversed: u32 = 0;
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    const li = <u32>i;
    while (fwd(p, li) != 0 && traversed + span(p, li) <= rank) {
      traversed += span(p, li);
      p = fwd(p, li);
    }
    if (traversed == rank) return p;
  }
  return 0;
}

// ─── score ranges ───────────────────────────────────────────────────────────────────────────

/** The score range of the command being run: [min, max] with exclusive flags. */
export let rangeMin: f64 = 0;
export let rangeMax: f64 = 0;
export let rangeMinEx: bool = false;
export let rangeMaxEx: bool = false;

export function setScoreRange(min: f64, minEx: bool, max: f64, maxEx: bool): void {
  rangeMin = min; rangeMinEx = minEx; rangeMax = max; rangeMaxEx = maxEx;
}

export function valueGteMin(v: f64): bool { return rangeMinEx ? v > rangeMin : v >= rangeMin; }
export function valueLteMax(v: f64): bool { return rangeMaxEx ? v < rangeMax : v <= rangeMax; }
/** Ranges that can never hold anything (min > max, or min == max with an exclusive end). */
export function scoreRangeEmpty(): bool {
  return rangeMin > rangeMax || (rangeMin == rangeMax && (rangeMinEx || rangeMaxEx));
}

function inRange(sl: usize): bool {
  if (scoreRangeEmpty()) return false;
  const t = slLast(sl);
  if (t == 0 || !valueGteMin(slScore(t))) return false;
  const h = slFirst(sl);
  return h != 0 && valueLteMax(slScore(h));
}

/** First node within the score range, or 0. */
export function slFirstInRange(sl: usize): usize {
  if (!inRange(sl)) return 0;
  let p = <usize>load<u32>(sl + S_HEAD);
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    while (fwd(p, <u32>i) != 0 && !valueGteMin(slScore(fwd(p, <u32>i)))) p = fwd(p, <u32>i);
  }
  p = fwd(p, 0);
  return valueLteMax(slScore(p)) ? p : 0;
}

/** Last node within the score range, or 0. */
export function slLastInRange(sl: usize): usize {
  if (!inRange(sl)) return 0;
  let p = <usize>load<u32>(sl + S_HEAD);
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    while (fwd(p, <u32>i) != 0 && valueLteMax(slScore(fwd(p, <u32>i)))) p = fwd(p, <u32>i);
  }
  return valueGteMin(slScore(p)) ? p : 0;
}

// ─── lexicographic ranges ───────────────────────────────────────────────────────────────────

/** A lex bound: LEX_MIN ("-"), LEX_MAX ("+") or LEX_BYTES (the bytes after '(' or '['). */
export const LEX_BYTES: i32 = 0;
export const LEX_MIN: i32 = 1;
export const LEX_MAX: i32 = 2;

export let lexMinKind: i32 = 0;
export let lexMinPtr: usize = 0;
export let lexMinLen: usize = 0;
export let lexMinEx: bool = false;
export let lexMaxKind: i32 = 0;
export let lexMaxPtr: usize = 0;
export let lexMaxLen: usize = 0;
export let lexMaxEx: bool = false;

/** Parse one lex bound ("-", "+", "(bytes", "[bytes") into the min or max; false if invalid. */
export function parseLexBound(p: usize, len: usize, isMax: bool): bool {
  if (len == 0) return false;
  const c = load<u8>(p);
  let kind = LEX_BYTES, ex = false;
  let bp: usize = 0, bl: usize = 0;
  if (c == 0x2B || c == 0x2D) {
    // '+' / '-' alone (Redis reads a C string: a NUL after it also ends it)
    if (len > 1 && load<u8>(p + 1) != 0) return false;
    kind = c == 0x2B ? LEX_MAX : LEX_MIN;
    ex = true;
  } else if (c == 0x28 || c == 0x5B) {
    ex = c == 0x28;
    bp = p + 1; bl = len - 1;
  } else return false;
  if (isMax) { lexMaxKind = kind; lexMaxPtr = bp; lexMaxLen = bl; lexMaxEx = ex; }
  else { lexMinKind = kind; lexMinPtr = bp; lexMinLen = bl; lexMinEx = ex; }
  return true;
}

/** Compare bytes with a bound (the bound as the second operand). */
function cmpBound(p: usize, len: usize, kind: i32, bp: usize, bl: usize): i32 {
  if (kind == LEX_MIN) return 1;
  if (kind == LEX_MAX) return -1;
  return compareBytes(p, len, bp, bl);
}

export function lexGteMin(p: usize, len: usize): bool {
  const c = cmpBound(p, len, lexMinKind, lexMinPtr, lexMinLen);
  return lexMinEx ? c > 0 : c >= 0;
}
export function lexLteMax(p: usize, len: usize): bool {
  const c = cmpBound(p, len, lexMaxKind, lexMaxPtr, lexMaxLen);
  return lexMaxEx ? c < 0 : c <= 0;
}

/** Lex ranges that can never hold anything (min above max, or equal with an exclusive end). */
export function lexRangeEmpty(): bool {
  let c: i32;
  if (lexMinKind == lexMaxKind && lexMinKind != LEX_BYTES) c = 0;
  else if (lexMinKind == LEX_MIN || lexMaxKind == LEX_MAX) c = -1;
  else if (lexMinKind == LEX_MAX || lexMaxKind == LEX_MIN) c = 1;
  else c = compareBytes(lexMinPtr, lexMinLen, lexMaxPtr, lexMaxLen);
  return c > 0 || (c == 0 && (lexMinEx || lexMaxEx));
}

function inLexRange(sl: usize): bool {
  if (lexRangeEmpty()) return false;
  const t = slLast(sl);
  if (t == 0 || !lexGteMin(slMember(t), slMemberLen(t))) return false;
  const h = slFirst(sl);
  return h != 0 && lexLteMax(slMember(h), slMemberLen(h));
}

/** First node within the lex range, or 0. */
export function slFirstInLex(sl: usize): usize {
  if (!inLexRange(sl)) return 0;
  let p = <usize>load<u32>(sl + S_HEAD);
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    while (fwd(p, <u32>i) != 0 && !lexGteMin(slMember(fwd(p, <u32>i)), slMemberLen(fwd(p, <u32>i)))) p = fwd(p, <u32>i);
  }
  p = fwd(p, 0);
  return lexLteMax(slMember(p), slMemberLen(p)) ? p : 0;
}

/** Last node within the lex range, or 0. */
export function slLastInLex(sl: usize): usize {
  if (!inLexRange(sl)) return 0;
  let p = <usize>load<u32>(sl + S_HEAD);
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    while (fwd(p, <u32>i) != 0 && lexLteMax(slMember(fwd(p, <u32>i)), slMemberLen(fwd(p, <u32>i)))) p = fwd(p, <u32>i);
  }
  return lexGteMin(slMember(p), slMemberLen(p)) ? p : 0;
}

// ─── range deletion ─────────────────────────────────────────────────────────────────────────

/** Unlink, drop from dict d and free x (the update array holds its predecessors). */
function removeNode(sl: usize, d: usize, x: usize): void {
  unlinkNode(sl, x);
  dictDelete(d, slMember(x), slMemberLen(x));
  free(x);
}

/** Delete every node within the score range (and its dict entry); returns how many. */
export function slDeleteRangeByScore(sl: usize, d: usize): u32 {
  if (!ready()) return 0;
  let p = <usize>load<u32>(sl + S_HEAD);
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    while (fwd(p, <u32>i) != 0 && !valueGteMin(slScore(fwd(p, <u32>i)))) p = fwd(p, <u32>i);
    setUpd(<u32>i, p);
  }
  let x = fwd(p, 0);
  let removed: u32 = 0;
  while (x != 0 && valueLteMax(slScore(x))) {
    const next = slNext(x);
    removeNode(sl, d, x);
    removed++;
    x = next;
  }
  return removed;
}

/** Delete every node within the lex range (and its dict entry); returns how many. */
export function slDeleteRangeByLex(sl: usize, d: usize): u32 {
  if (!ready()) return 0;
  let p = <usize>load<u32>(sl + S_HEAD);
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    while (fwd(p, <u32>i) != 0 && !lexGteMin(slMember(fwd(p, <u32>i)), slMemberLen(fwd(p, <u32>i)))) p = fwd(p, <u32>i);
    setUpd(<u32>i, p);
  }
  let x = fwd(p, 0);
  let removed: u32 = 0;
  while (x != 0 && lexLteMax(slMember(x), slMemberLen(x))) {
    const next = slNext(x);
    removeNode(sl, d, x);
    removed++;
    x = next;
  }
  return removed;
}

/** Delete the nodes of 1-based ranks [start, end] (and their dict entries); returns how many. */
export function slDeleteRangeByRank(sl: usize, start: u32, end: u32, d: usize): u32 {
  if (!ready()) return 0;
  let p = <usize>load<u32>(sl + S_HEAD);
  let traversed: u32 = 0;
  for (let i = <i32>load<u32>(sl + S_LEVEL) - 1; i >= 0; i--) {
    while (fwd(p, <u32>i) != 0 && traversed + span(p, <u32>i) < start) {
      traversed += span(p, <u32>i);
      p = fwd(p, <u32>i);
    }
    setUpd(<u32>i, p);
  }
  traversed++;
  let x = fwd(p, 0);
  let removed: u32 = 0;
  while (x != 0 && traversed <= end) {
    const next = slNext(x);
    removeNode(sl, d, x);
    removed++;
    traversed++;
    x = next;
  }
  return removed;
}
