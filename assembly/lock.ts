// Mutex over one i32 word of shared memory (futex style).
//
// States: 0 = free, 1 = held, 2 = held and somebody may be waiting. Uncontended lock and unlock
// are one atomic each. A contended locker spins briefly, then sleeps with memory.atomic.wait32
// and is woken by unlock's notify. In the non-shared (browser) build there is only one agent, so
// the lock is never contended and wait is never reached (wait would trap on unshared memory).

import { headerBase, STATS_OFFSET } from "./layout";

const SPINS: i32 = 100;

/** Acquire the mutex at `addr`. */
export function lockAcquire(addr: usize): void {
  let c = atomic.cmpxchg<i32>(addr, 0, 1);
  if (c == 0) return;
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<i32>(addr) == 0) {
      c = atomic.cmpxchg<i32>(addr, 0, 1);
      if (c == 0) return;
    }
  }
  if (c != 2) c = atomic.xchg<i32>(addr, 2);
  while (c != 0) {
    memory.atomic.wait32(addr, 2, -1);
    c = atomic.xchg<i32>(addr, 2);
  }
}

/** Release the mutex at `addr`, waking one waiter if there may be one. */
export function lockRelease(addr: usize): void {
  if (atomic.sub<i32>(addr, 1) != 1) {
    atomic.store<i32>(addr, 0);
    atomic.notify(addr, 1);
  }
}

// ─── keyspace lock statistics ────────────────────────────────────────────────────────────────
// "How much time goes to the lock" for INFO and bench/: acquisitions and contended acquisitions
// are always counted (under the lock, so plain adds are safe); the time spent waiting is measured
// only when an acquisition is contended, and the time the lock is held only when lock timing is
// switched on (it costs two clock reads per batch).
//
//  Lock statistics (at headerBase() + STATS_OFFSET)                       offset
//  ┌──────────────────────────────────────────────────────────────────┐
//  │ acquisitions u64 · contended u64 · wait ns f64 · held ns f64      │ 0 8 16 24
//  │ timing on u32                                                     │ 32
//  └──────────────────────────────────────────────────────────────────┘


// @ts-ignore: decorator
@external("env", "clockNs")
declare function clockNs(): f64;

const S_ACQUIRED: usize = 0;
const S_CONTENDED: usize = 8;
const S_WAIT_NS: usize = 16;
const S_HELD_NS: usize = 24;
const S_TIMING: usize = 32;

let heldSince: f64 = 0;

// The keyspace lock is reentrant for the instance that holds it: EXEC holds it across the whole
// transaction while the commands inside take it again (run(), host primitives, CLIENT UNBLOCK …).
// One instance is one thread, so a per-instance depth is exactly "held by this thread".
let heldDepth: i32 = 0;

/** Take the keyspace lock at `addr`, keeping the statistics (again, if this instance holds it). */
export function keyspaceAcquire(addr: usize): void {
  if (heldDepth > 0) { heldDepth++; return; }
  heldDepth = 1;
  const st = headerBase() + STATS_OFFSET;
  if (atomic.cmpxchg<i32>(addr, 0, 1) == 0) {
    store<u64>(st + S_ACQUIRED, load<u64>(st + S_ACQUIRED) + 1);
  } else {
    const t0 = clockNs();
    lockAcquire(addr);
    const t1 = clockNs();
    store<u64>(st + S_ACQUIRED, load<u64>(st + S_ACQUIRED) + 1);
    store<u64>(st + S_CONTENDED, load<u64>(st + S_CONTENDED) + 1);
    store<f64>(st + S_WAIT_NS, load<f64>(st + S_WAIT_NS) + (t1 - t0));
  }
  if (load<u32>(st + S_TIMING) != 0) heldSince = clockNs();
}

/** Release the keyspace lock at `addr` (for real once the outermost holder releases it). */
export function keyspaceRelease(addr: usize): void {
  if (--heldDepth > 0) return;
  heldDepth = 0;
  const st = headerBase() + STATS_OFFSET;
  if (load<u32>(st + S_TIMING) != 0) store<f64>(st + S_HELD_NS, load<f64>(st + S_HELD_NS) + (clockNs() - heldSince));
  lockRelease(addr);
}

/** Switch measuring of the time the lock is held on or off (0/1). */
export function lockTiming(on: u32): void { store<u32>(headerBase() + STATS_OFFSET + S_TIMING, on); }

/** Statistic i of the lock: 0 acquisitions, 1 contended, 2 wait ns, 3 held ns. */
export function lockStat(i: i32): f64 {
  const st = headerBase() + STATS_OFFSET;
  if (i == 0) return <f64>load<u64>(st + S_ACQUIRED);
  if (i == 1) return <f64>load<u64>(st + S_CONTENDED);
  if (i == 2) return load<f64>(st + S_WAIT_NS);
  return load<f64>(st + S_HELD_NS);
}
