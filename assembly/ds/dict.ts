// A hash table of nodes {key bytes, value bytes}: the large form of hashes (field → value),
// sets (member → nothing) and sorted sets (member → 8-byte payload).
//
// Owns: the dict header, its bucket array and every node. Callers hold the keyspace lock.
// Hashing is the keyspace's seeded hash (keyHash). Unlike the keyspace tables (keyspace.ts),
// a dict resizes in one step: collections are far smaller than a database, and one step keeps
// SCAN cursors simple (one table at any time).
//
//  Dict (DICT_SIZE bytes)                     Node (NODE_HEADER + klen + vlen bytes)
//  ┌────────────────────────────────┐ 0      ┌──────────────────────────────────┐ 0
//  │ buckets ptr u32 (0 when empty) │        │ next u32   next node, same bucket│
//  │ size u32 (power of two, or 0)  │ 4      │ hash u32   hash of the key       │ 4
//  │ used u32 (number of nodes)     │ 8      │ klen u32                         │ 8
//  └────────────────────────────────┘ 12     │ vlen u32                         │ 12
//                                            │ key bytes [klen] · value [vlen]  │ 16
//                                            └──────────────────────────────────┘
//  Bucket b holds the chain of nodes whose hash & (size - 1) == b, newest first.
//  Growth: to twice the size when used reaches size. Shrink: to the smallest power of two
//  ≥ used (at least 4) when used falls below size / 8.

import { alloc, free, usableSize } from "../alloc";
import { keyHash, randomU32 } from "../keyspace";

const D_BUCKETS: usize = 0;
const D_SIZE: usize = 4;
const D_USED: usize = 8;
export const DICT_SIZE: usize = 12;

const N_NEXT: usize = 0;
const N_HASH: usize = 4;
const N_KLEN: usize = 8;
const N_VLEN: usize = 12;
export const NODE_HEADER: usize = 16;

const MIN_SIZE: u32 = 4;

// @ts-ignore: decorator
@inline export function nodeKey(n: usize): usize { return n + NODE_HEADER; }
// @ts-ignore: decorator
@inline export function nodeKeyLen(n: usize): usize { return <usize>load<u32>(n + N_KLEN); }
// @ts-ignore: decorator
@inline export function nodeVal(n: usize): usize { return n + NODE_HEADER + <usize>load<u32>(n + N_KLEN); }
// @ts-ignore: decorator
@inline export function nodeValLen(n: usize): usize { return <usize>load<u32>(n + N_VLEN); }
/** The next node in the same bucket (for walking a bucket returned by dictScan). */
// @ts-ignore: decorator
@inline export function nodeNextInBucket(n: usize): usize { return <usize>load<u32>(n + N_NEXT); }

// @ts-ignore: decorator
@inline export function dictSize(d: usize): u32 { return load<u32>(d + D_USED); }

// @ts-ignore: decorator
@inline
function bucketAddr(d: usize, hash: u32): usize {
  return <usize>load<u32>(d + D_BUCKETS) + (<usize>(hash & (load<u32>(d + D_SIZE) - 1)) << 2);
}

/** A new empty dict; 0 when memory is exhausted. */
export function dictNew(): usize {
  const d = alloc(DICT_SIZE);
  if (d == 0) return 0;
  store<u32>(d + D_BUCKETS, 0);
  store<u32>(d + D_SIZE, 0);
  store<u32>(d + D_USED, 0);
  return d;
}

/** Rebuild the bucket array with `size` buckets (a power of two); false when memory is exhausted. */
function resize(d: usize, size: u32): bool {
  const nb = alloc(<usize>size << 2);
  if (nb == 0) return false;
  memory.fill(nb, 0, <usize>size << 2);
  const old = <usize>load<u32>(d + D_BUCKETS);
  const osize = load<u32>(d + D_SIZE);
  const mask = size - 1;
  for (let b: u32 = 0; b < osize; b++) {
    let n = <usize>load<u32>(old + (<usize>b << 2));
    while (n != 0) {
      const next = <usize>load<u32>(n + N_NEXT);
      const slot = nb + (<usize>(load<u32>(n + N_HASH) & mask) << 2);
      store<u32>(n + N_NEXT, load<u32>(slot));
      store<u32>(slot, <u32>n);
      n = next;
    }
  }
  free(old);
  store<u32>(d + D_BUCKETS, <u32>nb);
  store<u32>(d + D_SIZE, size);
  return true;
}

/** Pre-size the table for n nodes (before a bulk conversion); false when memory is exhausted. */
export function dictExpand(d: usize, n: u32): bool {
  let size = MIN_SIZE;
  while (size < n) size <<= 1;
  return size <= load<u32>(d + D_SIZE) || resize(d, size);
}

/** The node whose key is [k, klen), or 0. */
export function dictFind(d: usize, k: usize, klen: usize): usize {
  if (load<u32>(d + D_USED) == 0) return 0;
  const hash = keyHash(k, klen);
  let n = <usize>load<u32>(bucketAddr(d, hash));
  while (n != 0) {
    if (load<u32>(n + N_HASH) == hash && <usize>load<u32>(n + N_KLEN) == klen &&
        memory.compare(n + NODE_HEADER, k, klen) == 0) return n;
    n = <usize>load<u32>(n + N_NEXT);
  }
  return 0;
}

/** Add a node for key [k, klen) (which must be absent) with value [v, vlen); 0 when memory is exhausted. */
export function dictAdd(d: usize, k: usize, klen: usize, v: usize, vlen: usize): usize {
  const used = load<u32>(d + D_USED);
  const size = load<u32>(d + D_SIZE);
  if (used >= size && !resize(d, size == 0 ? MIN_SIZE : size << 1)) return 0;
  const n = alloc(NODE_HEADER + klen + vlen);
  if (n == 0) return 0;
  const hash = keyHash(k, klen);
  store<u32>(n + N_HASH, hash);
  store<u32>(n + N_KLEN, <u32>klen);
  store<u32>(n + N_VLEN, <u32>vlen);
  memory.copy(n + NODE_HEADER, k, klen);
  if (vlen != 0) memory.copy(n + NODE_HEADER + klen, v, vlen);
  const slot = bucketAddr(d, hash);
  store<u32>(n + N_NEXT, load<u32>(slot));
  store<u32>(slot, <u32>n);
  store<u32>(d + D_USED, used + 1);
  return n;
}

/** Address of the link (bucket slot or a node's next field) that points at node n. */
function linkTo(d: usize, n: usize): usize {
  let link = bucketAddr(d, load<u32>(n + N_HASH));
  while (<usize>load<u32>(link) != n) link = <usize>load<u32>(link) + N_NEXT;
  return link;
}

/**
 * Replace node n's value with [v, vlen). Returns the node, which moves when the new value does
 * not fit its block (or would leave most of it unused); 0 when memory is exhausted (n unchanged).
 */
export function dictSetVal(d: usize, n: usize, v: usize, vlen: usize): usize {
  const klen = <usize>load<u32>(n + N_KLEN);
  const need = NODE_HEADER + klen + vlen;
  const have = usableSize(n);
  if (need <= have && need + 4 > (have + 4) >> 1) {
    memory.copy(n + NODE_HEADER + klen, v, vlen);
    store<u32>(n + N_VLEN, <u32>vlen);
    return n;
  }
  const m = alloc(need);
  if (m == 0) return 0;
  memory.copy(m, n, NODE_HEADER + klen);
  memory.copy(m + NODE_HEADER + klen, v, vlen);
  store<u32>(m + N_VLEN, <u32>vlen);
  store<u32>(linkTo(d, n), <u32>m);
  free(n);
  return m;
}

/** Remove and free node n. */
export function dictDeleteNode(d: usize, n: usize): void {
  const link = linkTo(d, n);
  store<u32>(link, load<u32>(n + N_NEXT));
  free(n);
  const used = load<u32>(d + D_USED) - 1;
  store<u32>(d + D_USED, used);
  const size = load<u32>(d + D_SIZE);
  if (size > MIN_SIZE && used < size >> 3) {
    let ns = MIN_SIZE;
    while (ns < used) ns <<= 1;
    resize(d, ns); // on failure the larger table simply stays
  }
}

/** Remove key [k, klen); true if it was there. */
export function dictDelete(d: usize, k: usize, klen: usize): bool {
  const n = dictFind(d, k, klen);
  if (n == 0) return false;
  dictDeleteNode(d, n);
  return true;
}

/** The first node in table order, or 0 when empty. */
export function dictFirst(d: usize): usize {
  const size = load<u32>(d + D_SIZE);
  const b = <usize>load<u32>(d + D_BUCKETS);
  for (let i: u32 = 0; i < size; i++) {
    const n = <usize>load<u32>(b + (<usize>i << 2));
    if (n != 0) return n;
  }
  return 0;
}

/** The node after n in table order, or 0 at the end (no adds or deletes while iterating). */
export function dictNext(d: usize, n: usize): usize {
  const next = <usize>load<u32>(n + N_NEXT);
  if (next != 0) return next;
  const size = load<u32>(d + D_SIZE);
  const b = <usize>load<u32>(d + D_BUCKETS);
  for (let i = (load<u32>(n + N_HASH) & (size - 1)) + 1; i < size; i++) {
    const m = <usize>load<u32>(b + (<usize>i << 2));
    if (m != 0) return m;
  }
  return 0;
}

/** A random node (0 when empty): a random non-empty bucket, then a random node of its chain. */
export function dictRandom(d: usize): usize {
  if (load<u32>(d + D_USED) == 0) return 0;
  const mask = load<u32>(d + D_SIZE) - 1;
  const b = <usize>load<u32>(d + D_BUCKETS);
  let n: usize = 0;
  while (n == 0) n = <usize>load<u32>(b + (<usize>(randomU32() & mask) << 2));
  let len: u32 = 0;
  for (let m = n; m != 0; m = <usize>load<u32>(m + N_NEXT)) len++;
  for (let i = randomU32() % len; i > 0; i--) n = <usize>load<u32>(n + N_NEXT);
  return n;
}

/** First node of the bucket SCAN cursor `cursor` designates (walk it with nodeNextInBucket). */
export function dictScan(d: usize, cursor: u32): usize {
  const size = load<u32>(d + D_SIZE);
  if (size == 0) return 0;
  return <usize>load<u32>(<usize>load<u32>(d + D_BUCKETS) + (<usize>(cursor & (size - 1)) << 2));
}

/**
 * The SCAN cursor after `cursor` (0 when the scan is complete). Cursors count in reversed bit
 * order, so a scan that spans a resize still visits every node present throughout.
 */
export function dictScanNext(d: usize, cursor: u32): u32 {
  const size = load<u32>(d + D_SIZE);
  if (size == 0) return 0;
  let v = cursor | ~(size - 1);
  v = bswap<u32>(v);
  v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
  v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v++;
  v = bswap<u32>(v);
  v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
  v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  return v;
}

/** Free the dict and every node. */
export function dictFree(d: usize): void {
  const size = load<u32>(d + D_SIZE);
  const b = <usize>load<u32>(d + D_BUCKETS);
  for (let i: u32 = 0; i < size; i++) {
    let n = <usize>load<u32>(b + (<usize>i << 2));
    while (n != 0) {
      const next = <usize>load<u32>(n + N_NEXT);
      free(n);
      n = next;
    }
  }
  free(b);
  free(d);
}

/** A deep copy (COPY); 0 when memory is exhausted. */
export function dictCopy(d: usize): usize {
  const c = dictNew();
  if (c == 0) return 0;
  if (!dictExpand(c, load<u32>(d + D_USED))) { dictFree(c); return 0; }
  for (let n = dictFirst(d); n != 0; n = dictNext(d, n)) {
    const klen = <usize>load<u32>(n + N_KLEN);
    if (dictAdd(c, n + NODE_HEADER, klen, n + NODE_HEADER + klen, <usize>load<u32>(n + N_VLEN)) == 0) {
      dictFree(c);
      return 0;
    }
  }
  return c;
}

/** Bytes held by the dict (header, buckets, nodes, including allocator headers). */
export function dictBytes(d: usize): usize {
  let total = usableSize(d) + 4;
  const size = load<u32>(d + D_SIZE);
  if (size != 0) total += usableSize(<usize>load<u32>(d + D_BUCKETS)) + 4;
  for (let n = dictFirst(d); n != 0; n = dictNext(d, n)) total += usableSize(n) + 4;
  return total;
}
