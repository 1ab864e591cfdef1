// Custom commands: names registered at run time by the host (startServer({ commands }),
// Engine.create({ commands })), beside the generated static table.
//
// Owns: this instance's table of custom command names and their facts (flags, arity, legacy
// key positions), the lookup by name, and the buffer the host uses to run built-in commands on
// behalf of a custom command (ctx.call). Every custom command is a host command (FLAG_HOST set
// by the host): the engine only resolves the name, checks arity / NOAUTH / OOM / MULTI queueing
// as for any command, and hands it over. Must not know what any custom command does.
//
// The table belongs to this instance (module globals are per instance, one instance per thread):
// every engine instance registers the same commands in the same order, so ids agree across the
// threads of a server. Ids are CUSTOM_ID_BASE + index, far above the static ids
// (table.generated.ts falls back here for ids above MAX_COMMAND_ID and for unknown names).
//
//  Table block (alloc): header, then `cap` entries of ENTRY bytes
//  ┌──────────┬──────────┬──────────────────────────────────────────────┐
//  │ count u32│ cap u32  │ entry 0 · entry 1 · …                         │
//  └──────────┴──────────┴──────────────────────────────────────────────┘
//   0          4          8
//  Entry (ENTRY = 32 bytes)
//  ┌──────────┬──────────┬──────────┬──────────┬──────────┬──────────┬──────────┬──────┐
//  │ name u32 │ nlen u32 │ flags u32│ arity i32│ first i32│ last i32 │ step i32 │ pad  │
//  └──────────┴──────────┴──────────┴──────────┴──────────┴──────────┴──────────┴──────┘
//   0          4          8          12         16         20         24         28
//  `name` points to its own alloc block holding the name in lower case.

import { alloc, free } from "../alloc";

/** First id of a custom command (static ids stay far below). */
export const CUSTOM_ID_BASE: i32 = 0x10000;

const T_COUNT: usize = 0;
const T_CAP: usize = 4;
const T_ENTRIES: usize = 8;
const ENTRY: usize = 32;
const E_NAME: usize = 0;
const E_NLEN: usize = 4;
const E_FLAGS: usize = 8;
const E_ARITY: usize = 12;
const E_FIRST: usize = 16;
const E_LAST: usize = 20;
const E_STEP: usize = 24;

/** This instance's table block (0 until the first registration). */
let table: usize = 0;
/** ctx.call request buffer of this instance, and its capacity. */
let callBuf: usize = 0;
let callCap: usize = 0;

/** ASCII lower case of one byte. */
// @ts-ignore: decorator
@inline
function lower(c: u32): u32 { return c >= 65 && c <= 90 ? c | 0x20 : c; }

/** Entry address of custom id `id`, or 0 when `id` is not a registered custom command. */
function entryOf(id: i32): usize {
  if (table == 0 || id < CUSTOM_ID_BASE) return 0;
  const i = <usize>(id - CUSTOM_ID_BASE);
  if (i >= <usize>load<u32>(table + T_COUNT)) return 0;
  return table + T_ENTRIES + i * ENTRY;
}

/**
 * Register a custom command (name bytes at `ptr`, any case). Returns its id, or -1 when memory
 * is exhausted. The caller holds the keyspace lock (the allocator is shared) and has checked
 * that the name is new.
 */
export function customRegister(ptr: usize, len: u32, flags: u32, arity: i32, first: i32, last: i32, step: i32): i32 {
  const count: usize = table == 0 ? 0 : <usize>load<u32>(table + T_COUNT);
  const cap: usize = table == 0 ? 0 : <usize>load<u32>(table + T_CAP);
  if (count == cap) {
    const ncap: usize = cap == 0 ? 8 : cap * 2;
    const nt = alloc(T_ENTRIES + ncap * ENTRY);
    if (nt == 0) return -1;
    if (table != 0) { memory.copy(nt + T_ENTRIES, table + T_ENTRIES, count * ENTRY); free(table); }
    store<u32>(nt + T_COUNT, <u32>count);
    store<u32>(nt + T_CAP, <u32>ncap);
    table = nt;
  }
  const name = alloc(len > 0 ? <usize>len : 1);
  if (name == 0) return -1;
  for (let i: usize = 0; i < <usize>len; i++) store<u8>(name + i, <u8>lower(<u32>load<u8>(ptr + i)));
  const e = table + T_ENTRIES + count * ENTRY;
  store<u32>(e + E_NAME, <u32>name);
  store<u32>(e + E_NLEN, len);
  store<u32>(e + E_FLAGS, flags);
  store<i32>(e + E_ARITY, arity);
  store<i32>(e + E_FIRST, first);
  store<i32>(e + E_LAST, last);
  store<i32>(e + E_STEP, step);
  store<u32>(table + T_COUNT, <u32>(count + 1));
  return CUSTOM_ID_BASE + <i32>count;
}

/** Id of the custom command named by the `len` bytes at `ptr` (ASCII case-insensitive), or -1. */
export function customLookup(ptr: usize, len: i32): i32 {
  if (table == 0) return -1;
  const count = <usize>load<u32>(table + T_COUNT);
  for (let i: usize = 0; i < count; i++) {
    const e = table + T_ENTRIES + i * ENTRY;
    if (load<u32>(e + E_NLEN) != <u32>len) continue;
    const name = <usize>load<u32>(e + E_NAME);
    let j: usize = 0;
    while (j < <usize>len && lower(<u32>load<u8>(ptr + j)) == <u32>load<u8>(name + j)) j++;
    if (j == <usize>len) return CUSTOM_ID_BASE + <i32>i;
  }
  return -1;
}

/** FLAG_* bits of a custom command (0 for any other id). */
export function customFlags(id: i32): u32 {
  const e = entryOf(id);
  return e == 0 ? 0 : load<u32>(e + E_FLAGS);
}

/** Arity of a custom command (0 for any other id). */
export function customArity(id: i32): i32 {
  const e = entryOf(id);
  return e == 0 ? 0 : load<i32>(e + E_ARITY);
}

/** First key position of a custom command (0 for any other id). */
export function customFirstKey(id: i32): i32 {
  const e = entryOf(id);
  return e == 0 ? 0 : load<i32>(e + E_FIRST);
}

/** Last key position of a custom command (0 for any other id). */
export function customLastKey(id: i32): i32 {
  const e = entryOf(id);
  return e == 0 ? 0 : load<i32>(e + E_LAST);
}

/** Key step of a custom command (0 for any other id). */
export function customKeyStep(id: i32): i32 {
  const e = entryOf(id);
  return e == 0 ? 0 : load<i32>(e + E_STEP);
}

/**
 * The buffer a custom command's built-in calls are parsed from (never the region's input or
 * EXEC buffer, which still hold the rest of the batch or transaction), with room for `n`
 * bytes; 0 when memory is exhausted. Caller holds the keyspace lock.
 */
export function customCallBuffer(n: u32): usize {
  if (<usize>n <= callCap) return callBuf;
  if (n > 0x40000000) return 0; // past 1 GiB doubling would overflow: treat as out of memory
  let cap: usize = callCap == 0 ? 256 : callCap;
  while (cap < <usize>n) cap *= 2;
  const p = alloc(cap);
  if (p == 0) return 0;
  if (callBuf != 0) free(callBuf);
  callBuf = p;
  callCap = cap;
  return p;
}
