// The keyspace: databases, their hash tables of entries, and key expiry.
//
// Owns: every entry and every table in every database. Callers hold the keyspace lock (see
// run.ts) for the whole time they use anything returned from here. No I/O and no replies: the
// command files read and change entries through these functions and write the replies.
//
//  Entry (one allocation per key; the value is stored right after the key)    offset
//  ┌────────────────────────────────────────────────────────────────────────┐
//  │ next u32        next entry in the same bucket                          │ 0
//  │ hash u32        hash of the key (tables resize without rehashing bytes)│ 4
//  │ klen u32        key length                                             │ 8
//  │ vlen u32        value length (strings) / 0                             │ 12
//  │ vcap u32        bytes reserved for the value                           │ 16
//  │ type u8 · encoding u8 · flags u8 · lfu counter u8                      │ 20
//  │ lru u32         LRU clock (seconds) of the last access                 │ 24
//  │ vidx u32        index in the db's volatile array (flags & F_VOLATILE)  │ 28
//  │ key bytes [klen] · value bytes [vcap]                                  │ 32
//  └────────────────────────────────────────────────────────────────────────┘
//
//  Db (DB_SIZE bytes; the databases are one array)                         offset
//  ┌────────────────────────────────────────────────────────────────────────┐
//  │ table 0: buckets ptr u32 · size u32 (power of two or 0) · used u32     │ 0 4 8
//  │ table 1: same, only while rehashing                                    │ 12 16 20
//  │ rehash index i32 (-1 = not rehashing)                                  │ 24
//  │ volatile array: ptr u32 · count u32 · capacity u32                     │ 28 32 36
//  │ expire cursor u32 (active expiry resumes here)                         │ 40
//  └────────────────────────────────────────────────────────────────────────┘
//  Volatile array element (12 bytes): entry ptr u32 · expire-at ms i64. Keys with a TTL live in
//  it, so active expiry samples only keys that can expire and finds a TTL in O(1).
//  Tables grow incrementally as Redis's dict does: each operation moves one bucket from table 0
//  to table 1, and the periodic cycle (cronKeyspace) moves more while the server is idle.

import { alloc, free } from "./alloc";
import { headerBase, H_DB_COUNT, H_DBS, H_HASH_SEED, H_RANDOM, H_SHARED_ACCESS } from "./layout";
import { hashBytes } from "./util/hash";
import { listFree, listCopy } from "./ds/list";
import { hashObjFree, hashObjCopy } from "./ds/hash";
import { setObjFree, setObjCopy } from "./ds/set";
import { signalKeyReady, keySignalsMuted } from "./blocking";
import { notifyKeyspaceEvent, NOTIFY_NEW, NOTIFY_EXPIRED, NOTIFY_KEY_MISS } from "./notify";
import { signalModifiedKey } from "./watch";
import { zsetFree, zsetCopy } from "./ds/zset";
import { configMaxmemoryPolicyLfu, configLfuLogFactor, configLfuDecayTime } from "./config";

export const E_NEXT: usize = 0;
export const E_HASH: usize = 4;
export const E_KLEN: usize = 8;
export const E_VLEN: usize = 12;
export const E_VCAP: usize = 16;
export const E_TYPE: usize = 20;
export const E_ENC: usize = 21;
export const E_FLAGS: usize = 22;
export const E_LFU: usize = 23;
export const E_LRU: usize = 24;
export const E_VIDX: usize = 28;
export const E_KEY: usize = 32;

export const T_STRING: u8 = 0;
/** Types other than strings keep a u32 pointer to their structure in the value bytes. */
export const T_LIST: u8 = 1;
export const T_HASH: u8 = 2;
export const T_SET: u8 = 3;
/** Sorted sets (ds/zset.ts); hashes are 2 and sets 3. */
export const T_ZSET: u8 = 4;

export const ENC_RAW: u8 = 0;
export const ENC_INT: u8 = 1;
export const ENC_EMBSTR: u8 = 2;

export const F_VOLATILE: u8 = 1;
/** The value is one of Redis's shared integer objects (0..9999): OBJECT REFCOUNT says INT_MAX. */
export const F_SHARED_INT: u8 = 2;

const D_T0: usize = 0;
const D_T1: usize = 12;
const T_BUCKETS: usize = 0;
const T_SIZE: usize = 4;
const T_USED: usize = 8;
const D_REHASH: usize = 24;
const D_VOL: usize = 28;
const D_VOL_COUNT: usize = 32;
const D_VOL_CAP: usize = 36;
const D_EXPIRE_CURSOR: usize = 40;
export const DB_SIZE: usize = 48;

const VOL_ELEM: usize = 12;

/** Clock of the batch being executed (ms since the epoch), set by run() from the host. */
export let nowMs: i64 = 0;
export function setNow(ms: i64): void { nowMs = ms; }

/** Set by find(): address of the link that points at the found entry, and its table. */
export let foundLink: usize = 0;
let foundTable: usize = 0;

// ─── entries ────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function entryKey(e: usize): usize { return e + E_KEY; }
// @ts-ignore: decorator
@inline export function entryKeyLen(e: usize): usize { return <usize>load<u32>(e + E_KLEN); }
// @ts-ignore: decorator
@inline export function entryVal(e: usize): usize { return e + E_KEY + <usize>load<u32>(e + E_KLEN); }
// @ts-ignore: decorator
@inline export function entryValLen(e: usize): usize { return <usize>load<u32>(e + E_VLEN); }
// @ts-ignore: decorator
@inline export function entryType(e: usize): u8 { return load<u8>(e + E_TYPE); }
// @ts-ignore: decorator
@inline export function entryEnc(e: usize): u8 { return load<u8>(e + E_ENC); }

/** LRU clock in seconds, 24 bits as in Redis. */
// @ts-ignore: decorator
@inline export function lruClock(): u32 { return <u32>(nowMs / 1000) & 0xFFFFFF; }

// ─── access tracking: LRU clock, or LFU counter under an LFU maxmemory-policy ───────────────
// With LFU, E_LRU holds the minute (16 bits) the counter was last decayed and E_LFU the
// logarithmic counter, as Redis packs them into its 24-bit lru field.

const LFU_INIT_VAL: u32 = 5;

// @ts-ignore: decorator
@inline function lfuMinutes(): u32 { return <u32>(nowMs / 60000) & 0xFFFF; }

// Values 0..9999 stored by SET/INCR are, in Redis, one shared object per integer; their LRU clock
// and LFU counter belong to that object, not to the key (OBJECT IDLETIME of a key holding 624
// tells when any key holding 624 was last used). Entries flagged F_SHARED_INT keep their access
// data in this table instead of in the entry.
//
//  Shared-integer access table (SHARED_INTEGERS × 8 bytes, at H_SHARED_ACCESS)
//  ┌────────────────────────┬──────────────┬─────────┐
//  │ lru / lfu minutes u32  │ lfu counter u8 │ pad ×3 │   one row per integer value
//  └────────────────────────┴──────────────┴─────────┘
export const SHARED_INTEGERS: i64 = 10000;

/** Address of e's LRU word and LFU byte (the entry's own, or its shared integer's row). */
function accessRow(e: usize): usize {
  if (!(load<u8>(e + E_FLAGS) & F_SHARED_INT)) return 0;
  let v: u32 = 0;
  const p = e + E_KEY + <usize>load<u32>(e + E_KLEN);
  const n = <usize>load<u32>(e + E_VLEN);
  for (let i: usize = 0; i < n; i++) v = v * 10 + (<u32>load<u8>(p + i) - 0x30);
  return <usize>load<u32>(headerBase() + H_SHARED_ACCESS) + (<usize>v << 3);
}

/** LRU clock (or LFU minutes) of e's value. */
export function accessTime(e: usize): u32 {
  const row = accessRow(e);
  return row != 0 ? load<u32>(row) : load<u32>(e + E_LRU);
}

function setAccess(e: usize, time: u32, counter: u32): void {
  const row = accessRow(e);
  if (row != 0) { store<u32>(row, time); store<u8>(row + 4, <u8>counter); }
  else { store<u32>(e + E_LRU, time); store<u8>(e + E_LFU, <u8>counter); }
}

/** The LFU counter after decay for the minutes elapsed (OBJECT FREQ, and before an increment). */
export function lfuDecayed(e: usize): u32 {
  const row = accessRow(e);
  const ldt = (row != 0 ? load<u32>(row) : load<u32>(e + E_LRU)) & 0xFFFF;
  let counter = <u32>(row != 0 ? load<u8>(row + 4) : load<u8>(e + E_LFU));
  const now = lfuMinutes();
  const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  const decay = configLfuDecayTime();
  const periods = decay != 0 ? elapsed / decay : 0;
  if (periods != 0) counter = periods > counter ? 0 : counter - periods;
  return counter;
}

/** Record an access to e (Redis's updateLFU / LRU clock update). */
export function touchEntry(e: usize): void {
  if (configMaxmemoryPolicyLfu()) {
    let counter = lfuDecayed(e);
    if (counter < 255) {
      const r = <f64>randomU32() / 4294967296.0;
      const base = counter > LFU_INIT_VAL ? counter - LFU_INIT_VAL : 0;
      const p = 1.0 / (<f64>base * <f64>configLfuLogFactor() + 1.0);
      if (r < p) counter++;
    }
    setAccess(e, lfuMinutes(), counter);
  } else {
    const row = accessRow(e);
    if (row != 0) store<u32>(row, lruClock()); else store<u32>(e + E_LRU, lruClock());
  }
}

/** Access fields of a new entry. */
function initAccess(e: usize): void {
  store<u8>(e + E_LFU, <u8>LFU_INIT_VAL);
  store<u32>(e + E_LRU, configMaxmemoryPolicyLfu() ? lfuMinutes() : lruClock());
}

/** Create the shared-integer access table; every row starts at `now` (Redis's start-up). */
function sharedAccessInit(): bool {
  const t = alloc(<usize>SHARED_INTEGERS << 3);
  if (t == 0) return false;
  const lru = lruClock();
  for (let i: usize = 0; i < <usize>SHARED_INTEGERS; i++) {
    store<u32>(t + (i << 3), lru);
    store<u32>(t + (i << 3) + 4, LFU_INIT_VAL);
  }
  store<u32>(headerBase() + H_SHARED_ACCESS, <u32>t);
  return true;
}

/** Allocate an entry for key [k, klen) with room for `vcap` value bytes (more if the block has slack). */
export function entryNew(k: usize, klen: usize, hash: u32, vcap: usize): usize {
  const e = alloc(E_KEY + klen + vcap);
  if (e == 0) return 0;
  const usable = <usize>load<u32>(e - 4) - 4;
  store<u32>(e + E_NEXT, 0);
  store<u32>(e + E_HASH, hash);
  store<u32>(e + E_KLEN, <u32>klen);
  store<u32>(e + E_VLEN, 0);
  store<u32>(e + E_VCAP, <u32>(usable - E_KEY - klen));
  store<u32>(e + E_TYPE, 0); // type, encoding, flags, lfu
  initAccess(e);
  store<u32>(e + E_VIDX, 0);
  memory.copy(e + E_KEY, k, klen);
  return e;
}

// ─── databases ──────────────────────────────────────────────────────────────────────────────

export function dbCount(): i32 { return <i32>load<u32>(headerBase() + H_DB_COUNT); }

/** Address of database `i` (0-based; callers validate the index). */
// @ts-ignore: decorator
@inline
export function dbAt(i: i32): usize {
  return <usize>load<u32>(headerBase() + H_DBS) + <usize>i * DB_SIZE;
}

/** Index of the database at address db. */
export function dbIndexOf(db: usize): i32 {
  return <i32>((db - <usize>load<u32>(headerBase() + H_DBS)) / DB_SIZE);
}

/** Create `count` empty databases. Called once per shared memory. */
export function keyspaceInit(count: i32, seed: u32, now: i64): bool {
  const h = headerBase();
  nowMs = now;
  if (!sharedAccessInit()) return false;
  const dbs = alloc(<usize>count * DB_SIZE);
  if (dbs == 0) return false;
  memory.fill(dbs, 0, <usize>count * DB_SIZE);
  for (let i = 0; i < count; i++) store<i32>(dbs + <usize>i * DB_SIZE + D_REHASH, -1);
  store<u32>(h + H_DB_COUNT, <u32>count);
  store<u32>(h + H_DBS, <u32>dbs);
  store<u32>(h + H_HASH_SEED, seed | 1);
  store<u32>(h + H_RANDOM, seed ^ 0x9E3779B9 | 1);
  return true;
}

/** xorshift32 over the shared random state (callers hold the keyspace lock). */
export function randomU32(): u32 {
  const addr = headerBase() + H_RANDOM;
  let x = load<u32>(addr);
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  store<u32>(addr, x);
  return x;
}

// @ts-ignore: decorator
@inline
export function keyHash(k: usize, klen: usize): u32 {
  return hashBytes(k, klen, load<u32>(headerBase() + H_HASH_SEED));
}

/** Number of keys in db (including expired ones not yet reclaimed, as Redis's DBSIZE). */
export function dbSize(db: usize): u32 {
  return load<u32>(db + D_T0 + T_USED) + load<u32>(db + D_T1 + T_USED);
}

export function dbVolatileCount(db: usize): u32 { return load<u32>(db + D_VOL_COUNT); }

// @ts-ignore: decorator
@inline
function isRehashing(db: usize): bool { return load<i32>(db + D_REHASH) >= 0; }

/** Move up to `n` buckets from table 0 to table 1; returns false when rehashing is finished. */
export function rehashSteps(db: usize, n: i32): bool {
  let idx = load<i32>(db + D_REHASH);
  if (idx < 0) return false;
  const t0 = <usize>load<u32>(db + D_T0 + T_BUCKETS);
  const size0 = load<u32>(db + D_T0 + T_SIZE);
  const t1 = <usize>load<u32>(db + D_T1 + T_BUCKETS);
  const mask1 = load<u32>(db + D_T1 + T_SIZE) - 1;
  let emptyVisits = n * 10;
  while (n > 0 && load<u32>(db + D_T0 + T_USED) != 0) {
    while (load<u32>(t0 + (<usize>idx << 2)) == 0) {
      idx++;
      if (--emptyVisits == 0) { store<i32>(db + D_REHASH, idx); return true; }
    }
    let e = <usize>load<u32>(t0 + (<usize>idx << 2));
    let moved: u32 = 0;
    while (e != 0) {
      const next = <usize>load<u32>(e + E_NEXT);
      const slot = t1 + (<usize>(load<u32>(e + E_HASH) & mask1) << 2);
      store<u32>(e + E_NEXT, load<u32>(slot));
      store<u32>(slot, <u32>e);
      moved++;
      e = next;
    }
    store<u32>(t0 + (<usize>idx << 2), 0);
    store<u32>(db + D_T0 + T_USED, load<u32>(db + D_T0 + T_USED) - moved);
    store<u32>(db + D_T1 + T_USED, load<u32>(db + D_T1 + T_USED) + moved);
    idx++;
    n--;
  }
  if (load<u32>(db + D_T0 + T_USED) == 0 || <u32>idx >= size0) {
    // table 1 becomes table 0
    free(t0);
    memory.copy(db + D_T0, db + D_T1, 12);
    memory.fill(db + D_T1, 0, 12);
    store<i32>(db + D_REHASH, -1);
    return false;
  }
  store<i32>(db + D_REHASH, idx);
  return true;
}

/** Start an incremental resize of db to `size` buckets (a power of two). */
function startResize(db: usize, size: u32): void {
  const buckets = alloc(<usize>size << 2);
  if (buckets == 0) return; // keep the current table: slower, still correct
  memory.fill(buckets, 0, <usize>size << 2);
  if (load<u32>(db + D_T0 + T_SIZE) == 0) {
    store<u32>(db + D_T0 + T_BUCKETS, <u32>buckets);
    store<u32>(db + D_T0 + T_SIZE, size);
    return;
  }
  store<u32>(db + D_T1 + T_BUCKETS, <u32>buckets);
  store<u32>(db + D_T1 + T_SIZE, size);
  store<u32>(db + D_T1 + T_USED, 0);
  store<i32>(db + D_REHASH, 0);
}

function nextPow2(n: u32): u32 {
  if (n <= 4) return 4;
  return 1 << (32 - clz<u32>(n - 1));
}

/** Find key [k, klen) in db (no expiry check). Sets foundLink. Returns the entry or 0. */
export function find(db: usize, k: usize, klen: usize, hash: u32): usize {
  if (isRehashing(db)) rehashSteps(db, 1);
  for (let t: usize = D_T0; t <= D_T1; t += 12) {
    const size = load<u32>(db + t + T_SIZE);
    if (size != 0) {
      let link = <usize>load<u32>(db + t + T_BUCKETS) + (<usize>(hash & (size - 1)) << 2);
      let e = <usize>load<u32>(link);
      while (e != 0) {
        if (load<u32>(e + E_HASH) == hash && load<u32>(e + E_KLEN) == <u32>klen &&
            memory.compare(e + E_KEY, k, klen) == 0) {
          foundLink = link;
          foundTable = t;
          return e;
        }
        link = e + E_NEXT;
        e = <usize>load<u32>(link);
      }
    }
    if (!isRehashing(db)) break;
  }
  return 0;
}

/** Insert a new entry (its key must not be present). */
export function insert(db: usize, e: usize): void {
  if (!isRehashing(db)) {
    const size = load<u32>(db + D_T0 + T_SIZE);
    const used = load<u32>(db + D_T0 + T_USED);
    if (size == 0 || used >= size) startResize(db, nextPow2(used + 1 > size ? (used + 1) * 2 : size * 2));
  }
  const t = isRehashing(db) ? D_T1 : D_T0;
  const size = load<u32>(db + t + T_SIZE);
  const slot = <usize>load<u32>(db + t + T_BUCKETS) + (<usize>(load<u32>(e + E_HASH) & (size - 1)) << 2);
  store<u32>(e + E_NEXT, load<u32>(slot));
  store<u32>(slot, <u32>e);
  store<u32>(db + t + T_USED, load<u32>(db + t + T_USED) + 1);
  // a key added to the db (Redis's dbAdd, not a value replacing one in place: those mute signals)
  if (keySignalsMuted()) return;
  notifyKeyspaceEvent(NOTIFY_NEW, "new", e + E_KEY, <usize>load<u32>(e + E_KLEN), db);
  // a new collection may be what blocked clients wait for (served after the command)
  if (load<u8>(e + E_TYPE) != T_STRING) signalKeyReady(db, e + E_KEY, <usize>load<u32>(e + E_KLEN));
}

/** Replace the entry just returned by find() with `ne` (same key, e.g. a grown copy). */
export function replaceFound(db: usize, old: usize, ne: usize): void {
  store<u32>(ne + E_NEXT, load<u32>(old + E_NEXT));
  store<u32>(foundLink, <u32>ne);
  if (load<u8>(old + E_FLAGS) & F_VOLATILE) {
    const idx = <usize>load<u32>(old + E_VIDX);
    store<u32>(<usize>load<u32>(db + D_VOL) + idx * VOL_ELEM, <u32>ne);
  }
}

/** Unlink the entry just returned by find() without freeing it (MOVE); its TTL is dropped. */
export function detachFound(db: usize, e: usize): void {
  store<u32>(foundLink, load<u32>(e + E_NEXT));
  store<u32>(db + foundTable + T_USED, load<u32>(db + foundTable + T_USED) - 1);
  if (load<u8>(e + E_FLAGS) & F_VOLATILE) volatileRemove(db, e);
}

/** Unlink the entry just returned by find() and free it. */
export function removeFound(db: usize, e: usize): void {
  store<u32>(foundLink, load<u32>(e + E_NEXT));
  store<u32>(db + foundTable + T_USED, load<u32>(db + foundTable + T_USED) - 1);
  if (load<u8>(e + E_FLAGS) & F_VOLATILE) volatileRemove(db, e);
  entryFree(e);
}

/** Free an entry and whatever its value owns. */
export function entryFree(e: usize): void {
  valueFree(e);
  free(e);
}

/** The structure an entry of a non-string type points to. */
// @ts-ignore: decorator
@inline export function entryObj(e: usize): usize { return <usize>load<u32>(entryVal(e)); }

/** Free the structure a non-string value owns (the entry itself stays). */
export function valueFree(e: usize): void {
  const t = load<u8>(e + E_TYPE);
  if (t == T_LIST) listFree(entryObj(e));
  else if (t == T_HASH) hashObjFree(entryObj(e), load<u8>(e + E_ENC));
  else if (t == T_SET) setObjFree(entryObj(e), load<u8>(e + E_ENC));
  else if (t == T_ZSET) zsetFree(entryObj(e));
}

/** A deep copy of e's value structure for COPY (strings have none: 0); 0 on exhaustion too. */
export function valueCopy(e: usize): usize {
  const t = load<u8>(e + E_TYPE);
  if (t == T_LIST) return listCopy(entryObj(e));
  if (t == T_HASH) return hashObjCopy(entryObj(e), load<u8>(e + E_ENC));
  if (t == T_SET) return setObjCopy(entryObj(e), load<u8>(e + E_ENC));
  if (t == T_ZSET) return zsetCopy(entryObj(e));
  return 0;
}

/**
 * Create key [k, klen) holding structure `obj` of type `t` (the key must not exist). Returns the
 * entry, or 0 when memory is exhausted (obj is then not owned by anything: the caller frees it).
 */
export function createObjectKey(db: usize, k: usize, klen: usize, t: u8, obj: usize): usize {
  const e = entryNew(k, klen, keyHash(k, klen), 4);
  if (e == 0) return 0;
  store<u32>(entryVal(e), <u32>obj);
  store<u32>(e + E_VLEN, 4);
  store<u8>(e + E_TYPE, t);
  insert(db, e);
  return e;
}

// ─── expiry ─────────────────────────────────────────────────────────────────────────────────

/** Expire time of e in ms, or -1 when it has none. */
export function getExpire(db: usize, e: usize): i64 {
  if (!(load<u8>(e + E_FLAGS) & F_VOLATILE)) return -1;
  return load<i64>(<usize>load<u32>(db + D_VOL) + <usize>load<u32>(e + E_VIDX) * VOL_ELEM, 4);
}

/** Set e's absolute expire time (ms). Returns false when memory is exhausted. */
export function setExpire(db: usize, e: usize, when: i64): bool {
  if (load<u8>(e + E_FLAGS) & F_VOLATILE) {
    store<i64>(<usize>load<u32>(db + D_VOL) + <usize>load<u32>(e + E_VIDX) * VOL_ELEM, when, 4);
    return true;
  }
  let count = load<u32>(db + D_VOL_COUNT);
  let cap = load<u32>(db + D_VOL_CAP);
  let vol = <usize>load<u32>(db + D_VOL);
  if (count == cap) {
    const ncap: u32 = cap == 0 ? 16 : cap * 2;
    const nv = alloc(<usize>ncap * VOL_ELEM);
    if (nv == 0) return false;
    if (vol != 0) { memory.copy(nv, vol, <usize>count * VOL_ELEM); free(vol); }
    vol = nv;
    store<u32>(db + D_VOL, <u32>vol);
    store<u32>(db + D_VOL_CAP, ncap);
  }
  const slot = vol + <usize>count * VOL_ELEM;
  store<u32>(slot, <u32>e);
  store<i64>(slot, when, 4);
  store<u32>(e + E_VIDX, count);
  store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) | F_VOLATILE);
  store<u32>(db + D_VOL_COUNT, count + 1);
  return true;
}

/** Drop e's expire time (PERSIST, SET without KEEPTTL). Returns whether it had one. */
export function removeExpire(db: usize, e: usize): bool {
  if (!(load<u8>(e + E_FLAGS) & F_VOLATILE)) return false;
  volatileRemove(db, e);
  return true;
}

function volatileRemove(db: usize, e: usize): void {
  const vol = <usize>load<u32>(db + D_VOL);
  const idx = load<u32>(e + E_VIDX);
  const last = load<u32>(db + D_VOL_COUNT) - 1;
  if (idx != last) {
    const src = vol + <usize>last * VOL_ELEM;
    const moved = <usize>load<u32>(src);
    memory.copy(vol + <usize>idx * VOL_ELEM, src, VOL_ELEM);
    store<u32>(moved + E_VIDX, idx);
  }
  store<u32>(db + D_VOL_COUNT, last);
  store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) & ~F_VOLATILE);
}

/** Count of keys removed by expiry in this instance (lazy and active), for INFO expired_keys. */
export let expiredKeys: u64 = 0;
export function countExpired(): void { expiredKeys++; }

/**
 * Delete the expired entry just returned by find() (lazy or active expiry): the "expired" event
 * and the WATCH signal, as Redis's deleteExpiredKeyAndPropagate, then counted in expired_keys.
 */
export function expireFound(db: usize, e: usize): void {
  // the event is built from the entry's key before it is freed; keep find()'s link meanwhile
  const link = foundLink, table = foundTable;
  notifyKeyspaceEvent(NOTIFY_EXPIRED, "expired", e + E_KEY, <usize>load<u32>(e + E_KLEN), db);
  signalModifiedKey(db, e + E_KEY, <usize>load<u32>(e + E_KLEN));
  foundLink = link; foundTable = table;
  removeFound(db, e);
  expiredKeys++;
}

/** Find a live key: expired keys are deleted on the way (lazy expiry). Touches the LRU clock. */
export function lookup(db: usize, k: usize, klen: usize): usize {
  const e = find(db, k, klen, keyHash(k, klen));
  if (e == 0) return 0;
  if (load<u8>(e + E_FLAGS) & F_VOLATILE) {
    if (getExpire(db, e) <= nowMs) {
      expireFound(db, e);
      return 0;
    }
  }
  touchEntry(e);
  return e;
}

/** Keyspace hits and misses of read lookups in this instance (INFO keyspace_hits/misses). */
export let keyspaceHits: u64 = 0;
export let keyspaceMisses: u64 = 0;

/**
 * lookup() as Redis's lookupKeyRead: a read, counted in keyspace_hits/misses (write lookups,
 * Redis's lookupKeyWrite, use lookup() and are not counted).
 */
export function lookupRead(db: usize, k: usize, klen: usize): usize {
  const e = lookup(db, k, klen);
  if (e != 0) keyspaceHits++;
  else {
    keyspaceMisses++;
    notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", k, klen, db);
  }
  return e;
}

/**
 * lookupNoTouch() counted as a read (EXISTS, TYPE, TTL, OBJECT: LOOKUP_NOTOUCH reads). A miss
 * raises "keymiss" unless `notify` is false (OBJECT's lookups, LOOKUP_NONOTIFY in Redis).
 */
export function lookupReadNoTouch(db: usize, k: usize, klen: usize, notify: bool = true): usize {
  const e = lookupNoTouch(db, k, klen);
  if (e != 0) keyspaceHits++;
  else {
    keyspaceMisses++;
    if (notify) notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", k, klen, db);
  }
  return e;
}

/** Like lookup() but leaves the LRU clock alone (OBJECT, TYPE-free paths). */
export function lookupNoTouch(db: usize, k: usize, klen: usize): usize {
  const e = find(db, k, klen, keyHash(k, klen));
  if (e == 0) return 0;
  if ((load<u8>(e + E_FLAGS) & F_VOLATILE) && getExpire(db, e) <= nowMs) {
    expireFound(db, e);
    return 0;
  }
  return e;
}

/** Delete a key; returns whether a live key was removed. */
export function deleteKey(db: usize, k: usize, klen: usize): bool {
  const e = lookupNoTouch(db, k, klen);
  if (e == 0) return false;
  removeFound(db, e);
  return true;
}

/**
 * Create or overwrite key k with a string value of `vlen` bytes copied from v (v may be 0 to
 * leave the bytes for the caller to fill). `keepTtl` keeps an existing expire time.
 * Returns the entry, or 0 when memory is exhausted.
 */
export function setString(db: usize, k: usize, klen: usize, v: usize, vlen: usize, keepTtl: bool): usize {
  const hash = keyHash(k, klen);
  let e = find(db, k, klen, hash);
  // an expired key is gone first (Redis's setKey looks the key up for writing): a new key then
  if (e != 0 && (load<u8>(e + E_FLAGS) & F_VOLATILE) && getExpire(db, e) <= nowMs) {
    expireFound(db, e);
    e = 0;
  }
  const overwrite = e != 0;
  if (e != 0) {
    if ((load<u8>(e + E_FLAGS) & F_VOLATILE) && !keepTtl) volatileRemove(db, e);
    if (load<u8>(e + E_TYPE) != T_STRING) { valueFree(e); store<u8>(e + E_TYPE, T_STRING); }
    const vcap = <usize>load<u32>(e + E_VCAP);
    if (load<u8>(e + E_TYPE) == T_STRING && vlen <= vcap && vcap <= (vlen << 1) + 64) {
      if (v != 0) memory.copy(entryVal(e), v, vlen);
    } else {
      const ne = entryNew(k, klen, hash, vlen);
      if (ne == 0) return 0;
      if (v != 0) memory.copy(entryVal(ne), v, vlen);
      store<u8>(ne + E_FLAGS, load<u8>(e + E_FLAGS));
      store<u32>(ne + E_VIDX, load<u32>(e + E_VIDX));
      // an overwritten value keeps its LFU history, as Redis's dbSetValue does
      store<u8>(ne + E_LFU, load<u8>(e + E_LFU));
      store<u32>(ne + E_LRU, load<u32>(e + E_LRU));
      replaceFound(db, e, ne);
      entryFree(e);
      e = ne;
    }
    store<u8>(e + E_TYPE, T_STRING);
  } else {
    e = entryNew(k, klen, hash, vlen);
    if (e == 0) return 0;
    if (v != 0) memory.copy(entryVal(e), v, vlen);
    insert(db, e);
  }
  store<u32>(e + E_VLEN, <u32>vlen);
  if (!overwrite || !configMaxmemoryPolicyLfu()) initAccess(e);
  return e;
}

/**
 * Make room for a string value of `vlen` bytes in the entry just found (APPEND, SETRANGE),
 * keeping its bytes and TTL. Returns the (possibly moved) entry, or 0 when memory is exhausted.
 */
export function growString(db: usize, e: usize, vlen: usize): usize {
  if (vlen <= <usize>load<u32>(e + E_VCAP)) return e;
  const klen = entryKeyLen(e);
  // grow geometrically like sds so repeated APPENDs stay linear
  let want = vlen < 1024 * 1024 ? vlen << 1 : vlen + 1024 * 1024;
  const ne = entryNew(e + E_KEY, klen, load<u32>(e + E_HASH), want);
  if (ne == 0) return 0;
  memory.copy(ne + E_TYPE, e + E_TYPE, 12); // type, encoding, flags, lfu, lru, vidx
  const old = entryValLen(e);
  memory.copy(entryVal(ne), entryVal(e), old);
  store<u32>(ne + E_VLEN, <u32>old);
  replaceFound(db, e, ne);
  entryFree(e);
  return ne;
}

/** Remove every key from db. */
export function dbFlush(db: usize): void {
  for (let t: usize = D_T0; t <= D_T1; t += 12) {
    const buckets = <usize>load<u32>(db + t + T_BUCKETS);
    const size = <usize>load<u32>(db + t + T_SIZE);
    for (let i: usize = 0; i < size; i++) {
      let e = <usize>load<u32>(buckets + (i << 2));
      while (e != 0) {
        const next = <usize>load<u32>(e + E_NEXT);
        entryFree(e);
        e = next;
      }
    }
    free(buckets);
  }
  free(<usize>load<u32>(db + D_VOL));
  memory.fill(db, 0, DB_SIZE);
  store<i32>(db + D_REHASH, -1);
}

/** Exchange the contents of two databases (SWAPDB). */
export function dbSwap(a: usize, b: usize): void {
  for (let i: usize = 0; i < DB_SIZE; i += 4) {
    const t = load<u32>(a + i);
    store<u32>(a + i, load<u32>(b + i));
    store<u32>(b + i, t);
  }
}

// ─── iteration ──────────────────────────────────────────────────────────────────────────────

/** Reverse the bits of v (the SCAN cursor walks buckets in reverse binary order). */
// @ts-ignore: decorator
@inline
function rev(v: u32): u32 {
  v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
  v = ((v >> 8) & 0x00FF00FF) | ((v & 0x00FF00FF) << 8);
  return (v >> 16) | (v << 16);
}

/** Callback target for scanStep: entries are appended here (ptrs), up to scanCap. */
export let scanBuf: usize = 0;
export let scanCount: u32 = 0;
export let scanCap: u32 = 0;

/** Start collecting scan results into `buf` (room for `cap` entry pointers). */
export function scanReset(buf: usize, cap: u32): void { scanBuf = buf; scanCap = cap; scanCount = 0; }
/** Continue collecting into a (re)allocated buffer, keeping the first `count` results. */
export function scanSetCount(count: u32, buf: usize, cap: u32): void { scanBuf = buf; scanCap = cap; scanCount = count; }

function scanBucket(chain: usize): void {
  let e = chain;
  while (e != 0) {
    if (scanCount < scanCap) store<u32>(scanBuf + (<usize>scanCount << 2), <u32>e);
    scanCount++;
    e = <usize>load<u32>(e + E_NEXT);
  }
}

/**
 * One step of a SCAN over db, with Redis's guarantee: every key present for the whole scan is
 * returned at least once, even while tables resize. Appends visited entries to scanBuf and
 * returns the next cursor (0 = done).
 */
export function scanStep(db: usize, cursor: u32): u32 {
  const s0 = load<u32>(db + D_T0 + T_SIZE);
  if (s0 == 0 && !isRehashing(db)) return 0;
  if (!isRehashing(db)) {
    const m0 = s0 - 1;
    scanBucket(<usize>load<u32>(<usize>load<u32>(db + D_T0 + T_BUCKETS) + (<usize>(cursor & m0) << 2)));
    cursor |= ~m0;
    cursor = rev(cursor); cursor++; cursor = rev(cursor);
    return cursor;
  }
  // rehashing: visit the small table's bucket, then every bucket of the large table it expands to
  let small: usize = D_T0, large: usize = D_T1;
  if (load<u32>(db + D_T0 + T_SIZE) > load<u32>(db + D_T1 + T_SIZE)) { small = D_T1; large = D_T0; }
  const ms = load<u32>(db + small + T_SIZE) - 1;
  const ml = load<u32>(db + large + T_SIZE) - 1;
  const bs = <usize>load<u32>(db + small + T_BUCKETS);
  const bl = <usize>load<u32>(db + large + T_BUCKETS);
  scanBucket(<usize>load<u32>(bs + (<usize>(cursor & ms) << 2)));
  do {
    scanBucket(<usize>load<u32>(bl + (<usize>(cursor & ml) << 2)));
    cursor |= ~ml;
    cursor = rev(cursor); cursor++; cursor = rev(cursor);
  } while (cursor & (ms ^ ml));
  return cursor;
}

/** A random entry of db's volatile array (keys with a TTL), or 0 when there is none. */
export function randomVolatileEntry(db: usize): usize {
  const count = load<u32>(db + D_VOL_COUNT);
  if (count == 0) return 0;
  return <usize>load<u32>(<usize>load<u32>(db + D_VOL) + <usize>(randomU32() % count) * VOL_ELEM);
}

/** A random live entry of db, or 0 if it is empty (RANDOMKEY). May delete expired keys. */
export function randomEntry(db: usize): usize {
  for (let tries = 0; tries < 100; tries++) {
    if (dbSize(db) == 0) return 0;
    if (isRehashing(db)) rehashSteps(db, 1);
    let e: usize = 0;
    // pick a random non-empty bucket across both tables, then a random element of its chain
    const s0 = load<u32>(db + D_T0 + T_SIZE);
    const s1 = load<u32>(db + D_T1 + T_SIZE);
    const total = s0 + s1;
    let guard = 0;
    while (e == 0 && guard < 1000000) {
      let r = randomU32() % total;
      if (r < s0) e = <usize>load<u32>(<usize>load<u32>(db + D_T0 + T_BUCKETS) + (<usize>r << 2));
      else e = <usize>load<u32>(<usize>load<u32>(db + D_T1 + T_BUCKETS) + (<usize>(r - s0) << 2));
      guard++;
    }
    if (e == 0) return 0;
    let len: u32 = 0;
    let p = e;
    while (p != 0) { len++; p = <usize>load<u32>(p + E_NEXT); }
    let pick = randomU32() % len;
    while (pick-- > 0) e = <usize>load<u32>(e + E_NEXT);
    if ((load<u8>(e + E_FLAGS) & F_VOLATILE) && getExpire(db, e) <= nowMs) {
      // expired: reclaim it and draw again
      if (find(db, e + E_KEY, entryKeyLen(e), load<u32>(e + E_HASH)) == e) expireFound(db, e);
      continue;
    }
    return e;
  }
  return 0;
}

// ─── periodic work ──────────────────────────────────────────────────────────────────────────

/**
 * Active expiry for one db, as Redis's activeExpireCycle: sample up to 20 keys with a TTL,
 * delete the expired ones, repeat while more than 10% of a sample was expired, within `budget`
 * samples. Returns keys removed.
 */
export function activeExpireDb(db: usize, budget: i32): i32 {
  let removed = 0;
  while (budget > 0) {
    const count = load<u32>(db + D_VOL_COUNT);
    if (count == 0) break;
    let sampled = 0, expired = 0;
    const n = count < 20 ? <i32>count : 20;
    for (let i = 0; i < n; i++) {
      const c = load<u32>(db + D_VOL_COUNT);
      if (c == 0) break;
      let cur = load<u32>(db + D_EXPIRE_CURSOR);
      if (cur >= c) cur = 0;
      const slot = <usize>load<u32>(db + D_VOL) + <usize>cur * VOL_ELEM;
      const e = <usize>load<u32>(slot);
      sampled++;
      if (load<i64>(slot, 4) <= nowMs) {
        // swap-remove moves the last element into `cur`: examine that slot next
        if (find(db, e + E_KEY, entryKeyLen(e), load<u32>(e + E_HASH)) == e) expireFound(db, e);
        else expiredKeys++;
        expired++;
        store<u32>(db + D_EXPIRE_CURSOR, cur);
      } else {
        store<u32>(db + D_EXPIRE_CURSOR, cur + 1);
      }
    }
    removed += expired;
    budget -= sampled;
    if (expired * 10 <= sampled) break;
  }
  return removed;
}

/** Shrink oversized tables and advance rehashing; called from the periodic cycle. */
export function cronDb(db: usize): void {
  if (isRehashing(db)) { rehashSteps(db, 100); return; }
  const size = load<u32>(db + D_T0 + T_SIZE);
  const used = load<u32>(db + D_T0 + T_USED);
  if (size > 4 && used * 10 < size) {
    if (used == 0) {
      free(<usize>load<u32>(db + D_T0 + T_BUCKETS));
      memory.fill(db + D_T0, 0, 12);
    } else startResize(db, nextPow2(used));
  }
}
