// Worker regions: the per-thread scratch space in shared memory through which the host and one
// engine instance talk. One region per engine instance; nothing else reads or writes it.
//
//  Worker region (WORKER_SIZE bytes, from alloc)        offset
//  ┌──────────────────────────────────────────────────┐
//  │ input buffer ptr u32 / capacity u32              │ 0 / 4    host copies socket bytes here
//  │ output buffer ptr u32 / capacity u32             │ 8 / 12   replies of the batch
//  │ argument table ptr u32 / capacity u32 (entries)  │ 16 / 20  (ptr u32, len u32) per argument
//  │ consumed u32                                     │ 24  input bytes fully handled by run()
//  │ output length u32                                │ 28
//  │ need u32                                         │ 32  incomplete command: bytes it needs
//  │ argc u32                                         │ 36  host command: argument count
//  │ host command id i32                              │ 40
//  │ selected db u32                                  │ 44  db after the batch (SELECT is host)
//  │ scratch ptr u32 / capacity u32                   │ 48 / 52  host → engine values
//  │ dirty u64 (writes executed, for INFO/persistence)│ 56
//  │ batch table ptr u32                              │ 64  16 bytes per parsed command
//  │ host command: first argument index u32           │ 68
//  │ host command: subcommand id i32                  │ 72
//  │ result ptr u32 / result len u32                  │ 76 / 80  host primitives' results
//  │ expired keys u64 (this instance)                 │ 88
//  │ evicted keys u64 (this instance)                 │ 96
//  │ commands processed u64 (this instance)           │ 104
//  │ keyspace hits u64 · misses u64 (this instance)   │ 112 / 120
//  │ deliveries list head u32 (blocking.ts)           │ 128 replies for this thread's waiters
//  │ blocked: waiter id u32                           │ 132 set when run() returns RUN_BLOCKED
//  │ blocked: timeout ms f64 (0 = none)               │ 136
//  │ pub/sub dirty records list head u32 (pubsub.ts)  │ 144 bytes for this thread's connections
//  │ running connection's pub/sub record u32          │ 148 set by the host before run() (0 = none)
//  │ running connection's address ptr u32 · len u32   │ 152 / 156  for MONITOR lines
//  │ last command looked up u32 (CLIENT LIST cmd=)    │ 160  id + 1; 0 none this run; ~0 unknown
//  │ (164–167 unused)                                 │
//  │ EXEC buffer ptr u32 / capacity u32               │ 168 / 172  a queue the host replays
//  │ running connection's transaction queue u32       │ 176  (transaction.ts; 0 = not in MULTI)
//  │ running connection's WATCH record u32            │ 180  (watch.ts; 0 = none)
//  └──────────────────────────────────────────────────┘ 192

import { alloc, free, realloc } from "./alloc";

export const W_IN_PTR: usize = 0;
export const W_IN_CAP: usize = 4;
export const W_OUT_PTR: usize = 8;
export const W_OUT_CAP: usize = 12;
export const W_ARGV_PTR: usize = 16;
export const W_ARGV_CAP: usize = 20;
export const W_CONSUMED: usize = 24;
export const W_OUT_LEN: usize = 28;
export const W_NEED: usize = 32;
export const W_ARGC: usize = 36;
export const W_HOST_CMD: usize = 40;
export const W_DB: usize = 44;
export const W_SCRATCH_PTR: usize = 48;
export const W_SCRATCH_CAP: usize = 52;
export const W_DIRTY: usize = 56;
export const W_BATCH_PTR: usize = 64;
export const W_ARG_BASE: usize = 68;
export const W_SUB_ID: usize = 72;
export const W_RESULT_PTR: usize = 76;
export const W_RESULT_LEN: usize = 80;
export const W_EXPIRED: usize = 88;
export const W_EVICTED: usize = 96;
export const W_COMMANDS: usize = 104;
export const W_HITS: usize = 112;
export const W_MISSES: usize = 120;
export const W_DELIVERIES: usize = 128;
export const W_BLOCK_ID: usize = 132;
export const W_BLOCK_TIMEOUT: usize = 136;
export const W_PUBSUB_DIRTY: usize = 144;
export const W_CLIENT_REC: usize = 148;
export const W_MON_ADDR: usize = 152;
export const W_MON_ADDR_LEN: usize = 156;
/** The last command this run() looked up, for CLIENT LIST's cmd=: id + 1, 0 = none, LAST_CMD_UNKNOWN = an unknown one. */
export const W_LAST_CMD: usize = 160;
export const LAST_CMD_UNKNOWN: u32 = 0xffffffff;
export const W_EXEC_PTR: usize = 168;
export const W_EXEC_CAP: usize = 172;
export const W_TXQ: usize = 176;
export const W_WATCH_REC: usize = 180;
export const WORKER_SIZE: usize = 192;


/** Most commands parsed into one batch (one keyspace lock hold). */
export const MAX_BATCH: usize = 1024;
export const BATCH_ENTRY: usize = 16;

const INITIAL_IN: usize = 64 * 1024;
const INITIAL_OUT: usize = 64 * 1024;
const INITIAL_ARGV: usize = 1024;

/** Create a worker region with its buffers; returns 0 when memory is exhausted. */
export function workerCreate(): usize {
  const w = alloc(WORKER_SIZE);
  if (w == 0) return 0;
  memory.fill(w, 0, WORKER_SIZE);
  store<u32>(w + W_IN_PTR, <u32>alloc(INITIAL_IN));
  store<u32>(w + W_IN_CAP, <u32>INITIAL_IN);
  store<u32>(w + W_OUT_PTR, <u32>alloc(INITIAL_OUT));
  store<u32>(w + W_OUT_CAP, <u32>INITIAL_OUT);
  store<u32>(w + W_ARGV_PTR, <u32>alloc(INITIAL_ARGV * 8));
  store<u32>(w + W_ARGV_CAP, <u32>INITIAL_ARGV);
  store<u32>(w + W_SCRATCH_PTR, <u32>alloc(4096));
  store<u32>(w + W_SCRATCH_CAP, 4096);
  store<u32>(w + W_BATCH_PTR, <u32>alloc(MAX_BATCH * BATCH_ENTRY));
  return w;
}

/** Ensure a buffer field pair (ptr at `field`, capacity at field+4) holds `size` bytes. */
export function workerReserve(w: usize, field: usize, size: usize, keep: usize): usize {
  const cap = <usize>load<u32>(w + field + 4);
  const ptr = <usize>load<u32>(w + field);
  if (size <= cap) return ptr;
  let n = cap << 1;
  if (n < size) n = size;
  let p: usize;
  if (keep == 0) {
    // nothing to keep: allocate fresh rather than copy
    p = alloc(n);
    if (p != 0) free(ptr);
  } else p = realloc(ptr, n);
  if (p == 0) return 0;
  store<u32>(w + field, <u32>p);
  store<u32>(w + field + 4, <u32>n);
  return p;
}

/** Buffers above this size are given back after the batch that needed them. */
const TRIM_ABOVE: usize = 1024 * 1024;

/** Give back an oversized input or output buffer (after a huge request or reply). */
export function workerTrim(w: usize): void {
  trimField(w, W_IN_PTR, INITIAL_IN);
  trimField(w, W_OUT_PTR, INITIAL_OUT);
  // the EXEC buffer (a huge transaction's commands) is simply given back; the next EXEC makes one
  if (<usize>load<u32>(w + W_EXEC_CAP) > TRIM_ABOVE) {
    free(<usize>load<u32>(w + W_EXEC_PTR));
    store<u32>(w + W_EXEC_PTR, 0);
    store<u32>(w + W_EXEC_CAP, 0);
  }
}

function trimField(w: usize, field: usize, size: usize): void {
  if (<usize>load<u32>(w + field + 4) <= TRIM_ABOVE) return;
  const p = alloc(size);
  if (p == 0) return;
  free(<usize>load<u32>(w + field));
  store<u32>(w + field, <u32>p);
  store<u32>(w + field + 4, <u32>size);
}
