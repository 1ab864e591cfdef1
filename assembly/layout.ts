// Shared-memory layout: the header every engine instance agrees on.
//
// Owns: where the header lives and what each word in it means. Everything that more than one
// worker thread can see is reachable from here. Must not hold per-instance state: that lives in
// AssemblyScript globals (each instance has its own) or in a worker region (see worker.ts).
//
//  static data (AssemblyScript segments, re-applied at every instantiation: constant only)
//  ┌──────────────────────────────────────────────────────────────────────────┐ __heap_base
//  │ header (HEADER_SIZE bytes, 64-byte aligned)                              │
//  ├──────────────────────────────────────────────────────────────────────────┤
//  │ heap: allocator blocks (worker regions, keyspace tables, entries, …)    │ grows with memory.grow
//  └──────────────────────────────────────────────────────────────────────────┘
//
//  Header                                               offset
//  ┌─────────────── magic u32 ('WDIS') ───────────────┐ 0
//  │ layout version u32                               │ 4
//  │ keyspace lock word i32 (see lock.ts)             │ 8
//  │ allocator lock word i32                          │ 12
//  │ heap top u32 (bump pointer)                      │ 16
//  │ heap end u32 (bytes of memory in use)            │ 20
//  │ bytes allocated u64 (live, incl. block headers)  │ 24
//  │ database count u32                               │ 32
//  │ databases ptr u32 (array of Db, see db.ts)       │ 36
//  │ hash seed u32                                    │ 40
//  │ random state u32 (xorshift, under keyspace lock) │ 44
//  │ shared-integer access table ptr u32 (keyspace.ts)│ 48
//  │ blocking state ptr u32 (blocking.ts)             │ 52
//  │ pub/sub state ptr u32 (pubsub.ts)                │ 56
//  │ watch state ptr u32 (watch.ts)                   │ 60
//  │ keyspace lock statistics (lock.ts)               │ STATS_OFFSET
//  │ free list heads u32 × FREE_LISTS                 │ 64
//  │ config block (CONFIG_SIZE bytes, see config.ts)  │ CONFIG_OFFSET
//  │ stats block (STATS_SIZE bytes, see stats.ts)     │ STATS_OFFSET
//  └──────────────────────────────────────────────────┘ HEADER_SIZE

export const MAGIC: u32 = 0x53494457; // "WDIS" little-endian
export const LAYOUT_VERSION: u32 = 1;

export const H_MAGIC: usize = 0;
export const H_VERSION: usize = 4;
export const H_KEYSPACE_LOCK: usize = 8;
export const H_ALLOC_LOCK: usize = 12;
export const H_HEAP_TOP: usize = 16;
export const H_HEAP_END: usize = 20;
export const H_ALLOCATED: usize = 24;
export const H_DB_COUNT: usize = 32;
export const H_DBS: usize = 36;
export const H_HASH_SEED: usize = 40;
export const H_RANDOM: usize = 44;
export const H_SHARED_ACCESS: usize = 48;
export const H_BLOCKING: usize = 52;
export const H_PUBSUB: usize = 56;
export const H_WATCH: usize = 60;
export const H_FREE_LISTS: usize = 64;

/** Number of segregated free lists (see alloc.ts for the size classes). */
export const FREE_LISTS: usize = 256;

export const CONFIG_OFFSET: usize = H_FREE_LISTS + FREE_LISTS * 4;
export const CONFIG_SIZE: usize = 128;
export const STATS_OFFSET: usize = CONFIG_OFFSET + CONFIG_SIZE;
export const STATS_SIZE: usize = 128;
export const HEADER_SIZE: usize = (STATS_OFFSET + STATS_SIZE + 63) & ~63;

/** Address of the header: the first 64-byte boundary after the static data. */
// @ts-ignore: decorator
@inline
export function headerBase(): usize {
  return (__heap_base + 63) & ~63;
}
