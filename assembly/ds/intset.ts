// An intset: a sorted array of distinct integers in one allocation, the compact form of sets
// whose members are all integers (OBJECT ENCODING "intset"). Values are stored at the smallest
// width that holds every member — 16, 32 or 64 bits, as Redis's intset does — and the whole set
// is widened when a member needs more, so memory matches Redis's for the same members.
//
// Owns: intset memory. Callers hold the keyspace lock. Operations that can move the intset take
// `slot`, the address where the intset pointer is stored (e.g. a keyspace entry's value word),
// and update it.
//
//  Intset (one block; INTSET_HEADER + length × width bytes)
//  ┌──────────────────────────┬─────────────────────┬──────────────────────────────────────┐
//  │ width u32 (2, 4 or 8)    │ length u32          │ values, ascending, `width` bytes each │
//  └──────────────────────────┴─────────────────────┴──────────────────────────────────────┘
//  0                          4                     8

import { alloc, free, realloc } from "../alloc";
import { randomU32 } from "../keyspace";

const I_WIDTH: usize = 0;
const I_LEN: usize = 4;
export const INTSET_HEADER: usize = 8;

/** Number of members. */
// @ts-ignore: decorator
@inline export function intsetLen(s: usize): u32 { return load<u32>(s + I_LEN); }
/** Bytes per value: 2, 4 or 8. */
// @ts-ignore: decorator
@inline export function intsetWidth(s: usize): u32 { return load<u32>(s + I_WIDTH); }

/** Bytes needed per value to hold v. */
// @ts-ignore: decorator
@inline
function widthFor(v: i64): u32 {
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** Value at index i (0 <= i < length) of an intset of width w. */
// @ts-ignore: decorator
@inline
function getW(s: usize, i: u32, w: u32): i64 {
  const a = s + INTSET_HEADER + <usize>i * <usize>w;
  if (w == 2) return <i64>load<i16>(a);
  if (w == 4) return <i64>load<i32>(a);
  return load<i64>(a);
}

// @ts-ignore: decorator
@inline
function setW(s: usize, i: u32, w: u32, v: i64): void {
  const a = s + INTSET_HEADER + <usize>i * <usize>w;
  if (w == 2) store<i16>(a, <i16>v);
  else if (w == 4) store<i32>(a, <i32>v);
  else store<i64>(a, v);
}

/** Value at index i (0 <= i < length). */
export function intsetGet(s: usize, i: u32): i64 { return getW(s, i, load<u32>(s + I_WIDTH)); }

/** A new empty intset (16-bit width); 0 when memory is exhausted. */
export function intsetNew(): usize {
  const s = alloc(INTSET_HEADER);
  if (s == 0) return 0;
  store<u32>(s + I_WIDTH, 2);
  store<u32>(s + I_LEN, 0);
  return s;
}

export function intsetFree(s: usize): void { free(s); }

/** A copy (COPY); 0 when memory is exhausted. */
export function intsetCopy(s: usize): usize {
  const n = INTSET_HEADER + <usize>intsetLen(s) * <usize>intsetWidth(s);
  const c = alloc(n);
  if (c == 0) return 0;
  memory.copy(c, s, n);
  return c;
}

/** Result of intsetSearch: the index of v, or where it would be inserted. */
let searchPos: u32 = 0;

/** Binary search for v; sets searchPos. */
function intsetSearch(s: usize, v: i64): bool {
  const w = load<u32>(s + I_WIDTH);
  let lo: i64 = 0, hi: i64 = <i64>load<u32>(s + I_LEN) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = getW(s, <u32>mid, w);
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else { searchPos = <u32>mid; return true; }
  }
  searchPos = <u32>lo;
  return false;
}

/** Is v a member? */
export function intsetFind(s: usize, v: i64): bool {
  if (widthFor(v) > load<u32>(s + I_WIDTH)) return false;
  return intsetSearch(s, v);
}

/** Resize the intset at *slot to hold `len` values of width w; 0 when memory is exhausted. */
function resizeTo(slot: usize, len: u32, w: u32): usize {
  const s = <usize>load<u32>(slot);
  const ns = realloc(s, INTSET_HEADER + <usize>len * <usize>w);
  if (ns == 0) return 0;
  store<u32>(slot, <u32>ns);
  return ns;
}

/**
 * Add v to the intset at *slot (which may move). Returns 1 when added, 0 when already a member,
 * -1 when memory is exhausted (the intset is unchanged).
 */
export function intsetAdd(slot: usize, v: i64): i32 {
  let s = <usize>load<u32>(slot);
  const w = load<u32>(s + I_WIDTH);
  const len = load<u32>(s + I_LEN);
  const need = widthFor(v);
  if (need > w) {
    // widen: a value that needs more bits is smaller or larger than every member, so it goes
    // first or last; move the members from the end so nothing is overwritten before it is read
    s = resizeTo(slot, len + 1, need);
    if (s == 0) return -1;
    const prepend: u32 = v < 0 ? 1 : 0;
    for (let i = <i64>len - 1; i >= 0; i--) setW(s, <u32>i + prepend, need, getW(s, <u32>i, w));
    setW(s, prepend ? 0 : len, need, v);
    store<u32>(s + I_WIDTH, need);
    store<u32>(s + I_LEN, len + 1);
    return 1;
  }
  if (intsetSearch(s, v)) return 0;
  const pos = searchPos;
  s = resizeTo(slot, len + 1, w);
  if (s == 0) return -1;
  const at = s + INTSET_HEADER + <usize>pos * <usize>w;
  memory.copy(at + <usize>w, at, <usize>(len - pos) * <usize>w);
  setW(s, pos, w, v);
  store<u32>(s + I_LEN, len + 1);
  return 1;
}

/** Remove the value at index i of the intset at *slot (the block shrinks; the width stays). */
export function intsetRemoveAt(slot: usize, i: u32): void {
  const s = <usize>load<u32>(slot);
  const w = <usize>load<u32>(s + I_WIDTH);
  const len = load<u32>(s + I_LEN);
  const at = s + INTSET_HEADER + <usize>i * w;
  memory.copy(at, at + w, <usize>(len - 1 - i) * w);
  store<u32>(s + I_LEN, len - 1);
  resizeTo(slot, len - 1, <u32>w); // on failure the larger block simply stays
}

/** Remove v from the intset at *slot; true if it was a member. */
export function intsetRemove(slot: usize, v: i64): bool {
  const s = <usize>load<u32>(slot);
  if (!intsetFind(s, v)) return false;
  intsetRemoveAt(slot, searchPos);
  return true;
}

/** A random index (the intset must not be empty). */
export function intsetRandomIndex(s: usize): u32 { return randomU32() % load<u32>(s + I_LEN); }

/** Bytes held (for MEMORY USAGE), including the allocator header. */
export function intsetBytes(s: usize): usize {
  return INTSET_HEADER + <usize>intsetLen(s) * <usize>intsetWidth(s) + 4;
}
