// The engine's allocator: segregated free lists over a bump-pointer heap in shared memory.
//
// Owns: every byte of the heap (from the end of the header up to the end of memory) and the
// memory.grow calls. Thread-safe: every operation holds the allocator lock (H_ALLOC_LOCK), which
// is uncontended in practice because keyspace work already runs under the keyspace lock.
// AssemblyScript's own runtime allocator is never used (we build with --runtime stub).
//
//  Block                         ptr returned to the caller
//  ┌──────────────┬─────────────────────────────────────────┐
//  │ size u32     │ payload (size - 4 bytes)                 │   size = total block bytes,
//  └──────────────┴─────────────────────────────────────────┘   always a size-class size
//  A free block stores the next free block of its class in its first payload word.
//
//  Size classes (block size incl. header):
//    8, 16, … 1024 in steps of 8                       classes 0 … 127
//    then four classes per power of two: (2^k, 2^(k+1)] split in quarters   classes 128 …
//  Freed blocks are kept for reuse by their class; blocks are not split or merged.

import { lockAcquire, lockRelease } from "./lock";
import {
  headerBase, H_ALLOC_LOCK, H_HEAP_TOP, H_HEAP_END, H_ALLOCATED, H_FREE_LISTS, HEADER_SIZE, FREE_LISTS,
} from "./layout";

const SMALL_LIMIT: u32 = 1024;
const SMALL_CLASSES: u32 = 128;
const BLOCK_HEADER: usize = 4;
const PAGE: usize = 65536;

/** Size class of a block of `total` bytes (total already includes the header). */
// @ts-ignore: decorator
@inline
function classOf(total: u32): u32 {
  if (total <= SMALL_LIMIT) return ((total + 7) >> 3) - 1;
  const k: u32 = 31 - clz<u32>(total - 1); // 2^k < total <= 2^(k+1)
  const sub: u32 = ((total - 1) >> (k - 2)) & 3;
  return SMALL_CLASSES + (k - 10) * 4 + sub;
}

/** Block size of class `c`. */
// @ts-ignore: decorator
@inline
function classSize(c: u32): u32 {
  if (c < SMALL_CLASSES) return (c + 1) << 3;
  const i = c - SMALL_CLASSES;
  const k: u32 = (i >> 2) + 10;
  return (1 << k) + ((i & 3) + 1) * (1 << (k - 2));
}

/** Lay out an empty heap right after the header. Called once per shared memory. */
export function allocInit(): void {
  const h = headerBase();
  const start = h + HEADER_SIZE;
  store<u32>(h + H_HEAP_TOP, <u32>start);
  store<u32>(h + H_HEAP_END, <u32>(<usize>memory.size() * PAGE));
  store<u64>(h + H_ALLOCATED, 0);
  for (let i: usize = 0; i < FREE_LISTS; i++) store<u32>(h + H_FREE_LISTS + i * 4, 0);
}

/** Allocate `size` payload bytes; returns a 4-byte aligned pointer, or 0 when memory is exhausted. */
export function alloc(size: usize): usize {
  if (size > 0x7FFFFF00) return 0;
  const total = <u32>size + <u32>BLOCK_HEADER;
  const c = classOf(total < 8 ? 8 : total);
  const bsize = classSize(c);
  const h = headerBase();
  lockAcquire(h + H_ALLOC_LOCK);
  const headAddr = h + H_FREE_LISTS + (<usize>c << 2);
  let block = <usize>load<u32>(headAddr);
  if (block != 0) {
    store<u32>(headAddr, load<u32>(block + BLOCK_HEADER));
  } else {
    block = <usize>load<u32>(h + H_HEAP_TOP);
    // large blocks start 8-aligned payloads are not needed: wasm loads may be unaligned
    const end = block + <usize>bsize;
    let heapEnd = <usize>load<u32>(h + H_HEAP_END);
    if (end > heapEnd) {
      const have = <usize>memory.size();
      const want = (end + PAGE - 1) / PAGE;
      // grow by at least 1/8 of what we have, to keep memory.grow calls rare
      let grow = want - have;
      const eighth = have >> 3;
      if (grow < eighth) grow = eighth;
      if (have + grow > 65536) grow = 65536 - have;
      if (have + grow < want || memory.grow(<i32>grow) < 0) {
        lockRelease(h + H_ALLOC_LOCK);
        return 0;
      }
      heapEnd = <usize>memory.size() * PAGE;
      store<u32>(h + H_HEAP_END, <u32>heapEnd);
    }
    store<u32>(h + H_HEAP_TOP, <u32>end);
  }
  store<u32>(block, bsize);
  store<u64>(h + H_ALLOCATED, load<u64>(h + H_ALLOCATED) + bsize);
  lockRelease(h + H_ALLOC_LOCK);
  return block + BLOCK_HEADER;
}

/** Return a block obtained from alloc(). free(0) does nothing. */
export function free(ptr: usize): void {
  if (ptr == 0) return;
  const block = ptr - BLOCK_HEADER;
  const bsize = load<u32>(block);
  const c = classOf(bsize);
  const h = headerBase();
  lockAcquire(h + H_ALLOC_LOCK);
  const headAddr = h + H_FREE_LISTS + (<usize>c << 2);
  store<u32>(ptr, load<u32>(headAddr));
  store<u32>(headAddr, <u32>block);
  store<u64>(h + H_ALLOCATED, load<u64>(h + H_ALLOCATED) - bsize);
  lockRelease(h + H_ALLOC_LOCK);
}

/** Usable payload bytes of a block obtained from alloc(). */
// @ts-ignore: decorator
@inline
export function usableSize(ptr: usize): usize {
  return <usize>load<u32>(ptr - BLOCK_HEADER) - BLOCK_HEADER;
}

/** Resize a block, keeping min(old, new) payload bytes. Returns 0 (and keeps `ptr`) on exhaustion. */
export function realloc(ptr: usize, size: usize): usize {
  if (ptr == 0) return alloc(size);
  const have = usableSize(ptr);
  if (size <= have && size + BLOCK_HEADER > (have + BLOCK_HEADER) >> 1) return ptr;
  const p = alloc(size);
  if (p == 0) return 0;
  memory.copy(p, ptr, size < have ? size : have);
  free(ptr);
  return p;
}

/** Live bytes handed out, including block headers (INFO used_memory). */
export function allocatedBytes(): u64 {
  return load<u64>(headerBase() + H_ALLOCATED);
}
