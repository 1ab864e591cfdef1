// The list value: a ring buffer of element pointers (O(1) push and pop at both ends, O(1)
// indexing), each element one allocation holding its length and bytes.
//
// Owns: list memory. Callers hold the keyspace lock. Redis 7.0 reports every list as
// "quicklist" in OBJECT ENCODING; the layout here is ours.
//
//  List header (LIST_SIZE bytes)               Element (4 + len bytes)
//  ┌────────────────────────────┐ 0           ┌──────────┬───────────────┐
//  │ slots ptr u32              │             │ len u32  │ bytes [len]   │
//  │ capacity u32 (power of 2)  │ 4           └──────────┴───────────────┘
//  │ head u32 (slot of index 0) │ 8
//  │ length u32                 │ 12
//  └────────────────────────────┘ 16
//  slots: capacity × u32 element pointers; index i lives in slot (head + i) & (capacity - 1)

import { alloc, free } from "../alloc";

const L_SLOTS: usize = 0;
const L_CAP: usize = 4;
const L_HEAD: usize = 8;
const L_LEN: usize = 12;
export const LIST_SIZE: usize = 16;
const MIN_CAP: u32 = 4;

// @ts-ignore: decorator
@inline export function elemPtr(el: usize): usize { return el + 4; }
// @ts-ignore: decorator
@inline export function elemLen(el: usize): usize { return <usize>load<u32>(el); }

/** A new element holding bytes [p, p+n); 0 when memory is exhausted. */
export function elemNew(p: usize, n: usize): usize {
  const el = alloc(4 + n);
  if (el == 0) return 0;
  store<u32>(el, <u32>n);
  memory.copy(el + 4, p, n);
  return el;
}

/** Do element el's bytes equal [p, p+n)? */
export function elemEquals(el: usize, p: usize, n: usize): bool {
  return elemLen(el) == n && memory.compare(el + 4, p, n) == 0;
}

/** A new empty list; 0 when memory is exhausted. */
export function listNew(): usize {
  const l = alloc(LIST_SIZE);
  if (l == 0) return 0;
  const slots = alloc(<usize>MIN_CAP << 2);
  if (slots == 0) { free(l); return 0; }
  store<u32>(l + L_SLOTS, <u32>slots);
  store<u32>(l + L_CAP, MIN_CAP);
  store<u32>(l + L_HEAD, 0);
  store<u32>(l + L_LEN, 0);
  return l;
}

// @ts-ignore: decorator
@inline export function listLen(l: usize): u32 { return load<u32>(l + L_LEN); }

// @ts-ignore: decorator
@inline
function slotAddr(l: usize, i: u32): usize {
  const cap = load<u32>(l + L_CAP);
  return <usize>load<u32>(l + L_SLOTS) + (<usize>((load<u32>(l + L_HEAD) + i) & (cap - 1)) << 2);
}

/** Element at index i (0 <= i < length). */
// @ts-ignore: decorator
@inline export function listGet(l: usize, i: u32): usize { return <usize>load<u32>(slotAddr(l, i)); }

/** Replace the element at index i (the old one is freed). */
export function listSet(l: usize, i: u32, el: usize): void {
  const a = slotAddr(l, i);
  free(<usize>load<u32>(a));
  store<u32>(a, <u32>el);
}

/** Make room for `more` elements; false when memory is exhausted. */
function reserve(l: usize, more: u32): bool {
  const len = load<u32>(l + L_LEN);
  const cap = load<u32>(l + L_CAP);
  if (len + more <= cap) return true;
  let ncap = cap;
  while (ncap < len + more) ncap <<= 1;
  const ns = alloc(<usize>ncap << 2);
  if (ns == 0) return false;
  // unroll the ring into the new slots starting at 0
  for (let i: u32 = 0; i < len; i++) store<u32>(ns + (<usize>i << 2), <u32>listGet(l, i));
  free(<usize>load<u32>(l + L_SLOTS));
  store<u32>(l + L_SLOTS, <u32>ns);
  store<u32>(l + L_CAP, ncap);
  store<u32>(l + L_HEAD, 0);
  return true;
}

/** Add element el at the head (left) or tail; false when memory is exhausted. */
export function listPush(l: usize, el: usize, left: bool): bool {
  if (!reserve(l, 1)) return false;
  const cap = load<u32>(l + L_CAP);
  const len = load<u32>(l + L_LEN);
  if (left) {
    const head = (load<u32>(l + L_HEAD) + cap - 1) & (cap - 1);
    store<u32>(l + L_HEAD, head);
    store<u32>(<usize>load<u32>(l + L_SLOTS) + (<usize>head << 2), <u32>el);
  } else {
    store<u32>(slotAddr(l, len), <u32>el);
  }
  store<u32>(l + L_LEN, len + 1);
  return true;
}

/** Remove and return the head (left) or tail element (the caller frees it); 0 if empty. */
export function listPop(l: usize, left: bool): usize {
  const len = load<u32>(l + L_LEN);
  if (len == 0) return 0;
  let el: usize;
  if (left) {
    el = listGet(l, 0);
    const cap = load<u32>(l + L_CAP);
    store<u32>(l + L_HEAD, (load<u32>(l + L_HEAD) + 1) & (cap - 1));
  } else {
    el = listGet(l, len - 1);
  }
  store<u32>(l + L_LEN, len - 1);
  shrink(l);
  return el;
}

/** Halve the slot array when it is mostly empty (a drained list gives its memory back). */
function shrink(l: usize): void {
  const len = load<u32>(l + L_LEN);
  const cap = load<u32>(l + L_CAP);
  if (cap <= 64 || len > cap >> 3) return;
  const ncap = cap >> 1;
  const ns = alloc(<usize>ncap << 2);
  if (ns == 0) return;
  for (let i: u32 = 0; i < len; i++) store<u32>(ns + (<usize>i << 2), <u32>listGet(l, i));
  free(<usize>load<u32>(l + L_SLOTS));
  store<u32>(l + L_SLOTS, <u32>ns);
  store<u32>(l + L_CAP, ncap);
  store<u32>(l + L_HEAD, 0);
}

/** Insert el so that it becomes index i (0 <= i <= length); false when memory is exhausted. */
export function listInsert(l: usize, i: u32, el: usize): bool {
  const len = load<u32>(l + L_LEN);
  if (i == 0) return listPush(l, el, true);
  if (i == len) return listPush(l, el, false);
  if (!reserve(l, 1)) return false;
  // shift the tail side right by one
  store<u32>(l + L_LEN, len + 1);
  for (let j = len; j > i; j--) store<u32>(slotAddr(l, j), <u32>listGet(l, j - 1));
  store<u32>(slotAddr(l, i), <u32>el);
  return true;
}

/** Remove (and free) the element at index i, shifting the shorter side. */
export function listRemoveAt(l: usize, i: u32): void {
  const len = load<u32>(l + L_LEN);
  free(listGet(l, i));
  if (i < len >> 1) {
    // shift the head side right by one
    for (let j = i; j > 0; j--) store<u32>(slotAddr(l, j), <u32>listGet(l, j - 1));
    const cap = load<u32>(l + L_CAP);
    store<u32>(l + L_HEAD, (load<u32>(l + L_HEAD) + 1) & (cap - 1));
  } else {
    for (let j = i; j + 1 < len; j++) store<u32>(slotAddr(l, j), <u32>listGet(l, j + 1));
  }
  store<u32>(l + L_LEN, len - 1);
  shrink(l);
}

/** Keep only indexes [start, start+count): the others are freed. */
export function listKeepRange(l: usize, start: u32, count: u32): void {
  const len = load<u32>(l + L_LEN);
  for (let i: u32 = 0; i < start; i++) free(listGet(l, i));
  for (let i = start + count; i < len; i++) free(listGet(l, i));
  const cap = load<u32>(l + L_CAP);
  store<u32>(l + L_HEAD, (load<u32>(l + L_HEAD) + start) & (cap - 1));
  store<u32>(l + L_LEN, count);
  shrink(l);
}

/** Free the list and every element. */
export function listFree(l: usize): void {
  const len = load<u32>(l + L_LEN);
  for (let i: u32 = 0; i < len; i++) free(listGet(l, i));
  free(<usize>load<u32>(l + L_SLOTS));
  free(l);
}

/** A deep copy (COPY); 0 when memory is exhausted. */
export function listCopy(l: usize): usize {
  const c = listNew();
  if (c == 0) return 0;
  const len = load<u32>(l + L_LEN);
  if (!reserve(c, len)) { listFree(c); return 0; }
  for (let i: u32 = 0; i < len; i++) {
    const el = listGet(l, i);
    const nel = elemNew(elemPtr(el), elemLen(el));
    if (nel == 0) { listFree(c); return 0; }
    listPush(c, nel, false);
  }
  return c;
}
