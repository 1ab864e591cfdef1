// WATCH: the keys watched by clients before a transaction, and the signals that invalidate them.
//
// Owns: the watch registry (shared by every engine instance, under the keyspace lock) and the
// watch records of clients (one per client that has watched something; the host keeps its
// address in the Session). Commands call signalModifiedKey() wherever Redis 7.0 calls
// signalModifiedKey(); FLUSHDB/FLUSHALL call signalFlushedDb() and SWAPDB signalSwappedDb()
// before they change the databases. A signal marks every client watching the key dirty, on
// whichever worker thread its connection lives; EXEC then answers a null array.
// Must not touch the keys themselves: it only looks at whether a key exists or has expired.
//
// The registry is kept per database index, not per Db contents: after SWAPDB a client still
// watches its keys in the database it selected (as in Redis).
//
//  Watch state (at the pointer in header word H_WATCH; WS_DBS + 4 × databases bytes)   offset
//  ┌─────────────────────────────────────────────────────────────────────────────┐
//  │ watch nodes u32 (all clients, all dbs: 0 = nobody watches, signals return)  │ 0
//  │ database count u32                                                          │ 4
//  │ per database: dict ptr u32 (0 until a key is watched there)                 │ 8
//  │   dict: key bytes → value: first watch node u32 (see ds/dict.ts)            │
//  └─────────────────────────────────────────────────────────────────────────────┘
//
//  Client record (WC_SIZE bytes, one per watching client)    Watch node (WN_SIZE bytes)
//  ┌──────────────────────────────────────────┐ 0          ┌─────────────────────────────────────┐ 0
//  │ flags u32 (WC_DIRTY: a watched key moved)│            │ next u32 · prev u32 (same key)      │ 0 4
//  │ watch nodes u32                          │ 4          │ client record u32                   │ 8
//  │ first node u32 (its keys, newest first)  │ 8          │ next u32 (same client)              │ 12
//  └──────────────────────────────────────────┘ 12         │ registry dict node u32 (the key)    │ 16
//                                                          │ db index i32                        │ 20
//                                                          │ expired u32 (already at WATCH time) │ 24
//                                                          └─────────────────────────────────────┘ 28

import { alloc, free } from "./alloc";
import { headerBase, H_WATCH } from "./layout";
import { dictNew, dictFind, dictAdd, dictDeleteNode, dictFirst, dictNext, nodeKey, nodeKeyLen, nodeVal } from "./ds/dict";
import { dbAt, dbCount, dbIndexOf, find, keyHash, getExpire, nowMs, E_FLAGS, F_VOLATILE } from "./keyspace";

const WS_NODES: usize = 0;
const WS_DBN: usize = 4;
const WS_DBS: usize = 8;

const WC_FLAGS: usize = 0;
const WC_COUNT: usize = 4;
const WC_FIRST: usize = 8;
const WC_SIZE: usize = 12;
/** Client record flag: a watched key was modified (Redis's CLIENT_DIRTY_CAS). */
export const WC_DIRTY: u32 = 1;

const WN_NEXT: usize = 0;
const WN_PREV: usize = 4;
const WN_CLIENT: usize = 8;
const WN_CNEXT: usize = 12;
const WN_REG: usize = 16;
const WN_DB: usize = 20;
const WN_EXPIRED: usize = 24;
const WN_SIZE: usize = 28;

// @ts-ignore: decorator
@inline function state(): usize { return <usize>load<u32>(headerBase() + H_WATCH); }

/** Create the (empty) registry. Called once per shared memory; false when memory is exhausted. */
export function watchInit(): bool {
  const n = <usize>dbCount();
  const s = alloc(WS_DBS + (n << 2));
  if (s == 0) return false;
  memory.fill(s, 0, WS_DBS + (n << 2));
  store<u32>(s + WS_DBN, <u32>n);
  store<u32>(headerBase() + H_WATCH, <u32>s);
  return true;
}

/** Watch nodes of every client (INFO watching_clients-style counts; 0 keeps signals free). */
export function watchedNodes(): u32 {
  const s = state();
  return s == 0 ? 0 : load<u32>(s + WS_NODES);
}

// ─── client records ─────────────────────────────────────────────────────────────────────────

/** A new client record (nothing watched, clean); 0 when memory is exhausted. */
export function watchClientNew(): usize {
  const c = alloc(WC_SIZE);
  if (c == 0) return 0;
  memory.fill(c, 0, WC_SIZE);
  return c;
}

/** Forget everything client c watches and clear its dirty flag (UNWATCH, EXEC, DISCARD, RESET). */
export function watchReset(c: usize): void {
  const s = state();
  let n = <usize>load<u32>(c + WC_FIRST);
  while (n != 0) {
    const cnext = <usize>load<u32>(n + WN_CNEXT);
    unlinkNode(s, n);
    free(n);
    n = cnext;
  }
  store<u32>(s + WS_NODES, load<u32>(s + WS_NODES) - load<u32>(c + WC_COUNT));
  store<u32>(c + WC_FIRST, 0);
  store<u32>(c + WC_COUNT, 0);
  store<u32>(c + WC_FLAGS, 0);
}

/** The client is gone: forget its keys and free its record. */
export function watchClientFree(c: usize): void {
  watchReset(c);
  free(c);
}

/** Flags of client record c (WC_DIRTY). Readable without the lock for CLIENT LIST. */
export function watchClientFlags(c: usize): u32 { return load<u32>(c + WC_FLAGS); }

/** Take node n out of its key's list, dropping the key from the registry when it was the last. */
function unlinkNode(s: usize, n: usize): void {
  const next = <usize>load<u32>(n + WN_NEXT);
  const prev = <usize>load<u32>(n + WN_PREV);
  const reg = <usize>load<u32>(n + WN_REG);
  if (next != 0) store<u32>(next + WN_PREV, <u32>prev);
  if (prev != 0) store<u32>(prev + WN_NEXT, <u32>next);
  else if (next != 0) store<u32>(nodeVal(reg), <u32>next);
  else dictDeleteNode(<usize>load<u32>(s + WS_DBS + (<usize>load<i32>(n + WN_DB) << 2)), reg);
}

/** Key [k, klen) is in db (a Db address) with an expire time that has passed (not yet deleted). */
function keyIsExpired(db: usize, k: usize, klen: usize): bool {
  const e = find(db, k, klen, keyHash(k, klen));
  return e != 0 && (load<u8>(e + E_FLAGS) & F_VOLATILE) != 0 && getExpire(db, e) <= nowMs;
}

/** Key [k, klen) is in db and not expired. */
function keyLive(db: usize, k: usize, klen: usize): bool {
  const e = find(db, k, klen, keyHash(k, klen));
  return e != 0 && !((load<u8>(e + E_FLAGS) & F_VOLATILE) != 0 && getExpire(db, e) <= nowMs);
}

/** Key [k, klen) is present in db, expired or not (Redis's dictFind on the main dict). */
function keyPresent(db: usize, k: usize, klen: usize): bool {
  return find(db, k, klen, keyHash(k, klen)) != 0;
}

/**
 * WATCH one key [k, klen) of database dbi for client c (the caller sets the clock). A key the
 * client already watches there is skipped; a dirty client watches nothing new (its EXEC fails
 * anyway). Returns false when memory is exhausted (nothing changed).
 */
export function watchKey(c: usize, dbi: i32, k: usize, klen: usize): bool {
  if (load<u32>(c + WC_FLAGS) & WC_DIRTY) return true;
  for (let n = <usize>load<u32>(c + WC_FIRST); n != 0; n = <usize>load<u32>(n + WN_CNEXT)) {
    if (load<i32>(n + WN_DB) != dbi) continue;
    const reg = <usize>load<u32>(n + WN_REG);
    if (nodeKeyLen(reg) == klen && memory.compare(nodeKey(reg), k, klen) == 0) return true;
  }
  const s = state();
  const slot = s + WS_DBS + (<usize>dbi << 2);
  let d = <usize>load<u32>(slot);
  if (d == 0) {
    d = dictNew();
    if (d == 0) return false;
    store<u32>(slot, <u32>d);
  }
  const n = alloc(WN_SIZE);
  if (n == 0) return false;
  let reg = dictFind(d, k, klen);
  if (reg == 0) {
    // the value is the key's first watch node, set just below: add it as 4 zero bytes
    store<u32>(n, 0);
    reg = dictAdd(d, k, klen, n, 4);
    if (reg == 0) { free(n); return false; }
  }
  const head = <usize>load<u32>(nodeVal(reg));
  store<u32>(n + WN_NEXT, <u32>head);
  store<u32>(n + WN_PREV, 0);
  if (head != 0) store<u32>(head + WN_PREV, <u32>n);
  store<u32>(nodeVal(reg), <u32>n);
  store<u32>(n + WN_CLIENT, <u32>c);
  store<u32>(n + WN_CNEXT, load<u32>(c + WC_FIRST));
  store<u32>(n + WN_REG, <u32>reg);
  store<i32>(n + WN_DB, dbi);
  store<u32>(n + WN_EXPIRED, keyIsExpired(dbAt(dbi), k, klen) ? 1 : 0);
  store<u32>(c + WC_FIRST, <u32>n);
  store<u32>(c + WC_COUNT, load<u32>(c + WC_COUNT) + 1);
  store<u32>(s + WS_NODES, load<u32>(s + WS_NODES) + 1);
  return true;
}

/**
 * EXEC's check: true when the transaction must fail — a watched key was modified, or a watched
 * key that was live at WATCH time has expired since (even if nobody deleted it yet). The caller
 * sets the clock and holds the lock.
 */
export function watchFailed(c: usize): bool {
  if (load<u32>(c + WC_FLAGS) & WC_DIRTY) return true;
  for (let n = <usize>load<u32>(c + WC_FIRST); n != 0; n = <usize>load<u32>(n + WN_CNEXT)) {
    if (load<u32>(n + WN_EXPIRED) != 0) continue;
    const reg = <usize>load<u32>(n + WN_REG);
    if (keyIsExpired(dbAt(load<i32>(n + WN_DB)), nodeKey(reg), nodeKeyLen(reg))) return true;
  }
  return false;
}

// ─── signals ────────────────────────────────────────────────────────────────────────────────

/** Key `k` of database `db` (a Db pointer, see keyspace.ts) was modified. Caller holds the lock. */
export function signalModifiedKey(db: usize, k: usize, klen: usize): void {
  const s = state();
  if (s == 0 || load<u32>(s + WS_NODES) == 0) return;
  const dbi = dbIndexOf(db);
  const d = <usize>load<u32>(s + WS_DBS + (<usize>dbi << 2));
  if (d == 0) return;
  const reg = dictFind(d, k, klen);
  if (reg == 0) return;
  for (let n = <usize>load<u32>(nodeVal(reg)); n != 0; n = <usize>load<u32>(n + WN_NEXT)) {
    if (load<u32>(n + WN_EXPIRED) != 0) {
      // watched while already expired: its deletion is no logical change. (An expired key counts
      // as gone: expiry may signal just before it deletes the entry, whose bytes it still needs.)
      if (!keyLive(db, k, klen)) { store<u32>(n + WN_EXPIRED, 0); continue; }
      // (Redis 7.0 stops at such a watcher when the key is still present; kept as is)
      break;
    }
    const c = <usize>load<u32>(n + WN_CLIENT);
    store<u32>(c + WC_FLAGS, load<u32>(c + WC_FLAGS) | WC_DIRTY);
  }
}

/**
 * Database `emptied` is about to lose its contents, replaced by those of `replacedWith` (a Db
 * address, SWAPDB) or by nothing (0, FLUSHDB/FLUSHALL): watchers of keys present in either one
 * become dirty, except where the key was already expired at WATCH time and stays logically absent.
 */
function touchAllInDb(dbi: i32, emptied: usize, replacedWith: usize): void {
  const s = state();
  const d = <usize>load<u32>(s + WS_DBS + (<usize>dbi << 2));
  if (d == 0) return;
  for (let reg = dictFirst(d); reg != 0; reg = dictNext(d, reg)) {
    const k = nodeKey(reg);
    const klen = nodeKeyLen(reg);
    const inEmptied = keyPresent(emptied, k, klen);
    const inReplacement = replacedWith != 0 && keyPresent(replacedWith, k, klen);
    if (!inEmptied && !inReplacement) continue;
    for (let n = <usize>load<u32>(nodeVal(reg)); n != 0; n = <usize>load<u32>(n + WN_NEXT)) {
      if (load<u32>(n + WN_EXPIRED) != 0) {
        if (!inReplacement) { store<u32>(n + WN_EXPIRED, 0); continue; }
        if (keyIsExpired(replacedWith, k, klen)) continue;
      } else if (!inEmptied && keyIsExpired(replacedWith, k, klen)) {
        // an absent key replaced by one that is already expired: still logically absent
        store<u32>(n + WN_EXPIRED, 1);
        continue;
      }
      const c = <usize>load<u32>(n + WN_CLIENT);
      store<u32>(c + WC_FLAGS, load<u32>(c + WC_FLAGS) | WC_DIRTY);
    }
  }
}

/** Database `dbIndex` (-1: every database) is about to be flushed. Caller holds the lock. */
export function signalFlushedDb(dbIndex: i32): void {
  const s = state();
  if (s == 0 || load<u32>(s + WS_NODES) == 0) return;
  const first = dbIndex < 0 ? 0 : dbIndex;
  const last = dbIndex < 0 ? dbCount() - 1 : dbIndex;
  for (let i = first; i <= last; i++) touchAllInDb(i, dbAt(i), 0);
}

/** Databases a and b are about to be swapped (SWAPDB). Caller holds the lock. */
export function signalSwappedDb(a: i32, b: i32): void {
  const s = state();
  if (a == b || s == 0 || load<u32>(s + WS_NODES) == 0) return;
  touchAllInDb(a, dbAt(a), dbAt(b));
  touchAllInDb(b, dbAt(b), dbAt(a));
}
