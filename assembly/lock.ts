// Mutex over one i32 word of shared memory (futex style).
//
// States: 0 = free, 1 = held, 2 = held and somebody may be waiting. Uncontended lock and unlock
// are one atomic each. A contended locker spins briefly, then sleeps with memory.atomic.wait32
// and is woken by unlock's notify. In the non-shared (browser) build there is only one agent, so
// the lock is never contended and wait is never reached (wait would trap on unshared memory).

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
