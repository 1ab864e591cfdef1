// A pack: a run of byte strings in one allocation, the compact form of small collections
// (hashes: field, value, field, value …; sorted sets: member, score …). Redis calls its
// equivalent a listpack; the byte layout here is ours, the order semantics are Redis's:
// entries stay in insertion order, a deleted entry's neighbours close up, and a replaced entry
// keeps its place.
//
// Owns: pack memory. Callers hold the keyspace lock. Entry addresses ("iterators") are plain
// addresses inside the pack, valid until the next insert, replace or delete.
//
//  Pack (one block; capacity = the block's usable size)
//  ┌───────────────────────────────┬─────────────┬───────────────────────────────────┐
//  │ used u32 (bytes incl. header) │ count u32   │ entries …                         │
//  └───────────────────────────────┴─────────────┴───────────────────────────────────┘
//  0                               4             8
//  Entry: len < 128 → 1 byte len, then the bytes
//         otherwise → 0x80, u32 len (5 bytes), then the bytes

import { alloc, free, realloc, usableSize } from "../alloc";

const P_USED: usize = 0;
const P_COUNT: usize = 4;
const P_HEADER: usize = 8;

const SHORT_MAX: usize = 127;
const LONG_MARK: u8 = 0x80;

/** Bytes of the length prefix for an entry of n bytes. */
// @ts-ignore: decorator
@inline function prefixLen(n: usize): usize { return n <= SHORT_MAX ? 1 : 5; }

/** Length of the entry at `it`. */
// @ts-ignore: decorator
@inline export function packLen(it: usize): usize {
  const b = load<u8>(it);
  return b != LONG_MARK ? <usize>b : <usize>load<u32>(it + 1);
}

/** Address of the bytes of the entry at `it`. */
// @ts-ignore: decorator
@inline export function packStr(it: usize): usize { return it + (load<u8>(it) != LONG_MARK ? 1 : 5); }

/** Total bytes (prefix and data) of the entry at `it`. */
// @ts-ignore: decorator
@inline function entrySize(it: usize): usize {
  const b = load<u8>(it);
  return b != LONG_MARK ? 1 + <usize>b : 5 + <usize>load<u32>(it + 1);
}

// @ts-ignore: decorator
@inline export function packCount(p: usize): u32 { return load<u32>(p + P_COUNT); }
// @ts-ignore: decorator
@inline export function packUsed(p: usize): u32 { return load<u32>(p + P_USED); }

/** A new empty pack; 0 when memory is exhausted. */
export function packNew(): usize {
  const p = alloc(P_HEADER);
  if (p == 0) return 0;
  store<u32>(p + P_USED, <u32>P_HEADER);
  store<u32>(p + P_COUNT, 0);
  return p;
}

export function packFree(p: usize): void { free(p); }

/** A copy (COPY); 0 when memory is exhausted. */
export function packCopy(p: usize): usize {
  const used = <usize>load<u32>(p + P_USED);
  const c = alloc(used);
  if (c == 0) return 0;
  memory.copy(c, p, used);
  return c;
}

/** Address of entry 0, or 0 when the pack is empty. */
export function packFirst(p: usize): usize {
  return load<u32>(p + P_COUNT) == 0 ? 0 : p + P_HEADER;
}

/** Address of the entry after `it`, or 0 after the last one. */
export function packNext(p: usize, it: usize): usize {
  const n = it + entrySize(it);
  return n < p + <usize>load<u32>(p + P_USED) ? n : 0;
}

/** Address of entry i, or 0 when i is out of range. */
export function packAt(p: usize, i: u32): usize {
  if (i >= load<u32>(p + P_COUNT)) return 0;
  let it = p + P_HEADER;
  for (let j: u32 = 0; j < i; j++) it += entrySize(it);
  return it;
}

/** Index of the entry at `it`. */
export function packIndexOf(p: usize, it: usize): u32 {
  let i: u32 = 0;
  for (let a = p + P_HEADER; a < it; a += entrySize(a)) i++;
  return i;
}

/** First entry at an index that is a multiple of `stride` whose bytes equal [k, klen); 0 if none. */
export function packFind(p: usize, k: usize, klen: usize, stride: u32): usize {
  const end = p + <usize>load<u32>(p + P_USED);
  let it = p + P_HEADER;
  while (it < end) {
    if (packLen(it) == klen && memory.compare(packStr(it), k, klen) == 0) return it;
    for (let s: u32 = 0; s < stride && it < end; s++) it += entrySize(it);
  }
  return 0;
}

/** Make the pack at *slot hold `need` bytes in all; returns it (maybe moved), 0 when exhausted. */
function ensure(slot: usize, need: usize): usize {
  let p = <usize>load<u32>(slot);
  if (need <= usableSize(p)) return p;
  // beyond 256 bytes grow by a quarter more than needed, so appends do not copy the pack each
  // time; small packs grow exactly (size classes already round to 8 bytes), to stay compact
  const np = realloc(p, need < 256 ? need : need + (need >> 2));
  if (np == 0) return 0;
  store<u32>(slot, <u32>np);
  return np;
}

/** Write an entry of bytes [k, klen) at address a. */
function writeEntry(a: usize, k: usize, klen: usize): void {
  if (klen <= SHORT_MAX) {
    store<u8>(a, <u8>klen);
    memory.copy(a + 1, k, klen);
  } else {
    store<u8>(a, LONG_MARK);
    store<u32>(a + 1, <u32>klen);
    memory.copy(a + 5, k, klen);
  }
}

/**
 * Insert [k, klen) before entry `it` (it = 0: append). `slot` holds the pack pointer and is
 * updated when the pack moves. False when memory is exhausted (the pack is unchanged).
 */
export function packInsert(slot: usize, it: usize, k: usize, klen: usize): bool {
  let p = <usize>load<u32>(slot);
  const used = <usize>load<u32>(p + P_USED);
  const off = it == 0 ? used : it - p;
  const size = prefixLen(klen) + klen;
  p = ensure(slot, used + size);
  if (p == 0) return false;
  memory.copy(p + off + size, p + off, used - off);
  writeEntry(p + off, k, klen);
  store<u32>(p + P_USED, <u32>(used + size));
  store<u32>(p + P_COUNT, load<u32>(p + P_COUNT) + 1);
  return true;
}

/** Replace the bytes of entry `it` with [k, klen); it keeps its place. False when exhausted. */
export function packReplace(slot: usize, it: usize, k: usize, klen: usize): bool {
  let p = <usize>load<u32>(slot);
  const used = <usize>load<u32>(p + P_USED);
  const off = it - p;
  const oldSize = entrySize(it);
  const size = prefixLen(klen) + klen;
  if (size > oldSize) {
    p = ensure(slot, used + size - oldSize);
    if (p == 0) return false;
  }
  memory.copy(p + off + size, p + off + oldSize, used - off - oldSize);
  writeEntry(p + off, k, klen);
  store<u32>(p + P_USED, <u32>(used + size - oldSize));
  if (size < oldSize) shrink(slot);
  return true;
}

/** Delete n entries starting at `it`. */
export function packDelete(slot: usize, it: usize, n: u32): void {
  const p = <usize>load<u32>(slot);
  const used = <usize>load<u32>(p + P_USED);
  const end = p + used;
  let stop = it;
  let removed: u32 = 0;
  while (removed < n && stop < end) { stop += entrySize(stop); removed++; }
  memory.copy(it, stop, end - stop);
  store<u32>(p + P_USED, <u32>(used - (stop - it)));
  store<u32>(p + P_COUNT, load<u32>(p + P_COUNT) - removed);
  shrink(slot);
}

/** Give memory back when the pack uses less than half of its block. */
function shrink(slot: usize): void {
  const p = <usize>load<u32>(slot);
  const np = realloc(p, <usize>load<u32>(p + P_USED));
  if (np != 0) store<u32>(slot, <u32>np);
}
