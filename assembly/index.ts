// The engine's ABI: the only functions the host can call. Everything else is internal.
//
// Lifecycle: the first instance over a fresh shared memory calls init(); every instance
// (including the first) then calls workerCreate() for its own region. run() is the hot path,
// called once per socket read; the host* functions serve commands the host runs (INFO, CONFIG,
// INCRBYFLOAT, LCS, …) and must be called between keyspaceLock() and keyspaceUnlock().

import { headerBase, MAGIC, LAYOUT_VERSION, H_MAGIC, H_VERSION, H_KEYSPACE_LOCK } from "./layout";
import { allocInit, allocatedBytes } from "./alloc";
import { keyspaceAcquire, keyspaceRelease } from "./lock";
import {
  keyspaceInit, dbAt, dbCount, dbSize, dbVolatileCount, lookup, setString, setNow, entryType,
  entryVal, entryValLen, activeExpireDb, cronDb, T_STRING, expiredKeys, lookupRead, keyspaceHits, keyspaceMisses,
} from "./keyspace";
import { configInit, configSetProtoMaxBulkLen, configSetMaxmemoryPolicy, configSetActiveExpireEffort,
  configActiveExpireEffort, configSetLfuLogFactor, configSetLfuDecayTime, configSetMaxmemory,
  configSetMaxmemorySamples, configSetHllSparseMaxBytes, configSetHashMaxListpackEntries, configSetHashMaxListpackValue,
  configSetSetMaxIntsetEntries, configSetZsetMaxListpackEntries, configSetZsetMaxListpackValue, configMaxmemory,
  configSetNotifyKeyspaceEvents } from "./config";
import { notifyKeyspaceEventDb, NOTIFY_STRING, NOTIFY_HASH } from "./notify";
import { signalModifiedKey } from "./watch";
import { workerCreate as createRegion, workerReserve, workerTrim, W_IN_PTR, W_SCRATCH_PTR, W_RESULT_PTR, W_RESULT_LEN, W_EXPIRED, W_HITS, W_MISSES, W_EXEC_PTR, W_EVICTED } from "./worker";
import { stringEncoding, setStringEncoding } from "./commands/strings";
import { parserSetMaxMultibulkLen } from "./resp/parser";
import { pubsubInit } from "./pubsub";
import { setConfigPubsubBufferLimit } from "./config";
import { blockingInit, blockedCount, blockedTimedCount, waiterCancel, unblockClient as unblockClientOf, hasReadyKeys, serveReadyKeys } from "./blocking";
import { watchInit, watchKey, watchReset, watchFailed, watchClientNew as newWatchClient, watchClientFree as freeWatchClient, watchClientFlags as watchFlagsOf } from "./watch";
import { performEvictions, evictedKeys } from "./evict";
import { txAppendRaw, txFlag, txFree, TQ_HOSTCMD } from "./transaction";
import { writerBegin, outPtr, outCap } from "./resp/writer";
import { W_OUT_PTR, W_OUT_CAP } from "./worker";
export { deliveriesTake, deliveriesFree } from "./blocking";
import { strtodBytes, parseDouble, parsedDouble, parsedRange, formatDouble17g, formatDoubleListpack } from "./util/double";
import { hashFieldForHost, setHashFieldForHost } from "./commands/hashes";
import { hashValPtr, hashValLen } from "./ds/hash";
import { customRegister, customCallBuffer as customCallBufferOf } from "./commands/custom";

export { run, parseOnly, parseErrorCode, parseErrorByte } from "./run";

/** Set up header, allocator, config and `databases` empty databases. Returns 0 on success. */
export function init(databases: i32, seed: u32, now: f64): i32 {
  const h = headerBase();
  store<u32>(h + H_MAGIC, MAGIC);
  store<u32>(h + H_VERSION, LAYOUT_VERSION);
  store<i32>(h + H_KEYSPACE_LOCK, 0);
  allocInit();
  configInit();
  return keyspaceInit(databases, seed, <i64>now) && blockingInit() && pubsubInit() && watchInit() ? 0 : 1;
}

/** 0 when this memory was initialised by a compatible engine build. */
export function attach(): i32 {
  const h = headerBase();
  if (load<u32>(h + H_MAGIC) != MAGIC) return 1;
  if (load<u32>(h + H_VERSION) != LAYOUT_VERSION) return 2;
  return 0;
}

/** Create this instance's worker region; returns its address (0 if memory is exhausted). */
export function workerCreate(): usize { return createRegion(); }

/** Make the region's input buffer hold `size` bytes, keeping its first `keep` bytes; returns the buffer. */
export function reserveInput(w: usize, size: u32, keep: u32): usize { return workerReserve(w, W_IN_PTR, size, keep); }

/** Give back input/output buffers that grew beyond 1 MiB (call between batches). */
export function trimBuffers(w: usize): void { workerTrim(w); }

/** Make the region's scratch buffer hold `size` bytes; returns the buffer. */
export function reserveScratch(w: usize, size: u32): usize { return workerReserve(w, W_SCRATCH_PTR, size, 0); }

export function keyspaceLock(): void { keyspaceAcquire(headerBase() + H_KEYSPACE_LOCK); }
export function keyspaceUnlock(): void { keyspaceRelease(headerBase() + H_KEYSPACE_LOCK); }
export { lockTiming, lockStat } from "./lock";

export function databases(): i32 { return dbCount(); }
export function dbKeys(db: i32): u32 { return dbSize(dbAt(db)); }
export function dbExpires(db: i32): u32 { return dbVolatileCount(dbAt(db)); }
export function usedMemory(): f64 { return <f64>allocatedBytes(); }

export function setProtoMaxBulkLen(v: f64): void { configSetProtoMaxBulkLen(<i64>v); }
/** Largest argument count the parser accepts (parser-only instances; the server keeps INT_MAX). */
export function setMaxMultibulkLen(v: f64): void { parserSetMaxMultibulkLen(<i64>v); }
export function setMaxmemoryPolicy(v: u32): void { configSetMaxmemoryPolicy(v); }
export function setActiveExpireEffort(v: u32): void { configSetActiveExpireEffort(v); }
export function setLfuLogFactor(v: u32): void { configSetLfuLogFactor(v); }
export function setMaxmemory(v: f64): void { configSetMaxmemory(<u64>v); }
export function setMaxmemorySamples(v: u32): void { configSetMaxmemorySamples(v); }

export function setLfuDecayTime(v: u32): void { configSetLfuDecayTime(v); }
export function setHashMaxListpackEntries(v: f64): void { configSetHashMaxListpackEntries(clampU32(v)); }
export function setHashMaxListpackValue(v: f64): void { configSetHashMaxListpackValue(clampU32(v)); }
export function setSetMaxIntsetEntries(v: f64): void { configSetSetMaxIntsetEntries(clampU32(v)); }

/** A config number as u32 (Redis's size_t limits above 4G behave as "no limit" here). */
function clampU32(v: f64): u32 { return !(v > 0) ? 0 : v >= 4294967295 ? 0xFFFFFFFF : <u32>v; }
/** hll-sparse-max-bytes (a size_t in Redis; values past 2^32-1 act as 2^32-1). */
export function setHllSparseMaxBytes(v: f64): void { configSetHllSparseMaxBytes(v >= 4294967295.0 ? 0xFFFFFFFF : <u32>v); }
/** zset-max-listpack-entries / -value (clamped to 0 .. 2^32-1, which is unlimited in practice). */
export function setZsetMaxListpackEntries(v: f64): void { configSetZsetMaxListpackEntries(clampU32(v)); }
export function setZsetMaxListpackValue(v: f64): void { configSetZsetMaxListpackValue(clampU32(v)); }
/** notify-keyspace-events as class bits (the host parses Redis's letters; see notify.ts). */
export function setNotifyKeyspaceEvents(v: u32): void { configSetNotifyKeyspaceEvents(v); }

/**
 * Periodic work (Redis's serverCron for the keyspace): active expiry and table resizing.
 * Takes the keyspace lock itself; counts into region w. Returns the number of keys expired.
 */
export function cron(w: usize, now: f64): i32 {
  keyspaceAcquire(headerBase() + H_KEYSPACE_LOCK);
  setNow(<i64>now);
  const n = dbCount();
  let removed = 0;
  const budget = <i32>(200 * configActiveExpireEffort());
  for (let i = 0; i < n; i++) {
    const db = dbAt(i);
    removed += activeExpireDb(db, budget);
    cronDb(db);
  }
  store<u64>(w + W_EXPIRED, expiredKeys);
  keyspaceRelease(headerBase() + H_KEYSPACE_LOCK);
  return removed;
}

/**
 * Read string key [k, klen) of db: 1 = found (value at W_RESULT_PTR/LEN of region w),
 * 0 = missing, -1 = not a string. `read` counts it in keyspace hits/misses (a read lookup, as
 * LCS; INCRBYFLOAT's is a write lookup). Caller holds the keyspace lock.
 */
export function hostGetString(w: usize, db: i32, k: usize, klen: u32, now: f64, read: i32): i32 {
  setNow(<i64>now);
  const e = read != 0 ? lookupRead(dbAt(db), k, klen) : lookup(dbAt(db), k, klen);
  store<u64>(w + W_HITS, keyspaceHits);
  store<u64>(w + W_MISSES, keyspaceMisses);
  if (e == 0) return 0;
  if (entryType(e) != T_STRING) return -1;
  store<u32>(w + W_RESULT_PTR, <u32>entryVal(e));
  store<u32>(w + W_RESULT_LEN, <u32>entryValLen(e));
  return 1;
}

/**
 * Set string key [k, klen) of db to [v, vlen); keepTtl keeps its expire time. enc < 0 picks
 * the encoding SET would (int/embstr/raw); 0..2 forces one (ENC_RAW/INT/EMBSTR, e.g. INCRBYFLOAT
 * results are never int-encoded in Redis). Returns 0 on success.
 */
export function hostSetString(db: i32, k: usize, klen: u32, v: usize, vlen: u32, keepTtl: i32, enc: i32): i32 {
  hostKeyPtr = k; hostKeyLen = klen;
  const e = setString(dbAt(db), k, klen, v, vlen, keepTtl != 0);
  if (e == 0) return 1;
  setStringEncoding(e, enc < 0 ? stringEncoding(v, vlen) : <u8>enc);
  return 0;
}

/**
 * Read field [f, flen) of hash key [k, klen) of db for HINCRBYFLOAT (a write lookup): 1 = found
 * (value at W_RESULT_PTR/LEN of region w), 0 = key or field missing, -1 = not a hash. Caller
 * holds the keyspace lock.
 */
export function hostGetHashField(w: usize, db: i32, k: usize, klen: u32, f: usize, flen: u32, now: f64): i32 {
  setNow(<i64>now);
  const r = hashFieldForHost(dbAt(db), k, klen, f, flen);
  if (r == 1) {
    store<u32>(w + W_RESULT_PTR, <u32>hashValPtr);
    store<u32>(w + W_RESULT_LEN, <u32>hashValLen);
  }
  return r;
}

/**
 * Set field [f, flen) of hash key [k, klen) of db to [v, vlen), creating the hash when missing.
 * Returns 0 on success, 1 when memory is exhausted (or the key is not a hash). Caller holds the
 * keyspace lock.
 */
export function hostSetHashField(db: i32, k: usize, klen: u32, f: usize, flen: u32, v: usize, vlen: u32): i32 {
  hostKeyPtr = k; hostKeyLen = klen;
  return setHashFieldForHost(dbAt(db), k, klen, f, flen, v, vlen) ? 0 : 1;
}

// The key of the last hostSetString / hostSetHashField (it stays in the region's scratch buffer
// until the host's next engine call), for hostKeyModified.
let hostKeyPtr: usize = 0;
let hostKeyLen: u32 = 0;

/** Events a host command reports through hostKeyModified. */
const HOST_EVENT_INCRBYFLOAT = 0;
const HOST_EVENT_HINCRBYFLOAT = 1;

/**
 * After a successful hostSetString / hostSetHashField: the key it wrote was modified by a host
 * command — signal WATCH and publish the command's keyspace event (0 = incrbyfloat, 1 =
 * hincrbyfloat). Caller holds the keyspace lock.
 */
export function hostKeyModified(db: i32, event: i32): void {
  signalModifiedKey(dbAt(db), hostKeyPtr, hostKeyLen);
  if (event == HOST_EVENT_INCRBYFLOAT) notifyKeyspaceEventDb(NOTIFY_STRING, "incrbyfloat", hostKeyPtr, hostKeyLen, db);
  else if (event == HOST_EVENT_HINCRBYFLOAT) notifyKeyspaceEventDb(NOTIFY_HASH, "hincrbyfloat", hostKeyPtr, hostKeyLen, db);
}

/**
 * DEBUG SEGFAULT: trap while holding the keyspace lock, the worst failure a thread can have
 * (tests that the server then stops instead of deadlocking).
 */
export function debugTrap(): void {
  keyspaceAcquire(headerBase() + H_KEYSPACE_LOCK);
  unreachable();
}

// ─── blocking commands (see blocking.ts) ────────────────────────────────────────────────────

/** Number of clients waiting in blocking commands, on every thread (INFO blocked_clients). */
export function blockedClients(): u32 { return blockedCount(); }

/** Of those, the clients whose wait has a timeout (INFO clients_in_timeout_table). */
export function blockedClientsWithTimeout(): u32 { return blockedTimedCount(); }

/** Run fn's replies into region w's output buffer (they are moved into deliveries). */
function withRegionWriter(w: usize): void {
  writerBegin(<usize>load<u32>(w + W_OUT_PTR), <usize>load<u32>(w + W_OUT_CAP), 2);
}
function saveRegionWriter(w: usize): void {
  store<u32>(w + W_OUT_PTR, <u32>outPtr);
  store<u32>(w + W_OUT_CAP, <u32>outCap);
}

/**
 * End the wait of waiter `id` (its timeout passed: mode 0; CLIENT UNBLOCK … ERROR: 1; client
 * gone: 2). Returns 1 if it was still waiting (its reply is now among its region's deliveries),
 * 0 if it was served first. Takes the keyspace lock.
 */
export function cancelWaiter(w: usize, id: u32, mode: i32): i32 {
  keyspaceAcquire(headerBase() + H_KEYSPACE_LOCK);
  withRegionWriter(w);
  const r = waiterCancel(id, mode);
  saveRegionWriter(w);
  keyspaceRelease(headerBase() + H_KEYSPACE_LOCK);
  return r;
}

/** CLIENT UNBLOCK: end the wait of client `client` (mode 0 timeout reply, 1 error); 1 if it waited. */
export function unblockClient(w: usize, client: f64, mode: i32): i32 {
  keyspaceAcquire(headerBase() + H_KEYSPACE_LOCK);
  withRegionWriter(w);
  const r = unblockClientOf(client, mode);
  saveRegionWriter(w);
  keyspaceRelease(headerBase() + H_KEYSPACE_LOCK);
  return r;
}

// ─── transactions (see run.ts and watch.ts; the host keeps the queue, src/engine/core.ts) ──────

/** Queue request bytes [p, p+len) on transaction queue q (DEBUG, queued by the host); returns the block (0: exhausted). Caller holds the lock. */
export function txQueueAppend(q: usize, p: usize, len: u32): usize {
  const nq = txAppendRaw(q, p, len);
  if (nq != 0) txFlag(nq, TQ_HOSTCMD);
  return nq;
}

/** Set flag bits of transaction queue q (1: a command was refused while queueing). */
export function txQueueFlag(q: usize, f: u32): void { txFlag(q, f); }

/** Free transaction queue q (EXEC by the host, RESET, disconnect). Caller holds the lock. */
export function txQueueFree(q: usize): void { txFree(q); }

/** Make region w's EXEC buffer hold `size` bytes (the queued commands are copied there); returns it. */
export function execBufferReserve(w: usize, size: u32): usize { return workerReserve(w, W_EXEC_PTR, size, 0); }

/** A new WATCH record for a client (0 when memory is exhausted). Caller holds the keyspace lock. */
export function watchClientNew(): usize { return newWatchClient(); }

/** Free client record c and everything it watches. Caller holds the keyspace lock. */
export function watchClientFree(c: usize): void { freeWatchClient(c); }

/** WATCH key [k, klen) of db for record c. 0 on success, 1 when memory is exhausted. Caller holds the lock. */
export function watchAdd(c: usize, db: i32, k: usize, klen: u32, now: f64): i32 {
  setNow(<i64>now);
  return watchKey(c, db, k, klen) ? 0 : 1;
}

/** UNWATCH (also EXEC, DISCARD, RESET): record c watches nothing and is clean. Caller holds the lock. */
export function watchClear(c: usize): void { watchReset(c); }

/** 1 when record c's transaction must fail (a watched key changed or expired). Caller holds the lock. */
export function watchCheck(c: usize, now: f64): i32 {
  setNow(<i64>now);
  return watchFailed(c) ? 1 : 0;
}

/** Record c's flags (1: dirty), for CLIENT LIST; no lock needed. */
export function watchClientFlags(c: usize): u32 { return watchFlagsOf(c); }

/**
 * Over maxmemory after trying to evict (EXEC of a transaction with commands that may use memory is
 * refused then, as in Redis)? 1 = out of memory. Counts evictions into region w. Caller holds the lock.
 */
export function outOfMemory(w: usize, now: f64): i32 {
  if (configMaxmemory() == 0) return 0;
  setNow(<i64>now);
  const r = performEvictions() ? 0 : 1;
  store<u64>(w + W_EVICTED, evictedKeys);
  return r;
}

/** After EXEC: serve clients blocked on keys the transaction filled (replies go to deliveries). Caller holds the lock. */
export function serveReadyAfterExec(w: usize): void {
  if (!hasReadyKeys()) return;
  withRegionWriter(w);
  serveReadyKeys();
  saveRegionWriter(w);
}

// ─── test entry points (test/engine/double.test.ts) ──────────────────────────────────────────

/** strtod over [p, p+len): bytes consumed; value and range flag through testDoubleResult/Range. */
export function testStrtod(p: usize, len: u32): u32 { return <u32>strtodBytes(p, len); }
/** Redis's score parsing of [p, p+len): 1 accepted (value through testDoubleResult), 0 rejected. */
export function testParseDouble(p: usize, len: u32): i32 { return parseDouble(p, len) ? 1 : 0; }
export function testDoubleResult(): f64 { return parsedDouble; }
export function testDoubleRange(): i32 { return parsedRange; }
/** "%.17g" of v written at dst (mode 0) or the listpack score text (mode 1); returns the length. */
export function testFormatDouble(dst: usize, v: f64, mode: i32): u32 {
  return mode == 0 ? formatDouble17g(dst, v) : formatDoubleListpack(dst, v);
}

// ─── pub/sub and MONITOR (pubsub.ts; the host side is src/engine/pubsub-delivery.ts) ────────
export {
  pubsubState, pubsubClientNew, pubsubClientSetProto, pubsubClientFree, pubsubSubscribe, pubsubUnsubscribe,
  monitorSet, pubsubTake, pubsubRecordDone, monitorAddrBuffer, monitorDeliver, pubsubCount,
} from "./pubsub";

/** client-output-buffer-limit pubsub hard limit in bytes (0 = none). */
export function setPubsubBufferLimit(v: f64): void { setConfigPubsubBufferLimit(clampU32(v)); }

// ─── custom commands (commands/custom.ts; the host side is src/commands/custom.ts) ──────────

/**
 * Register a custom command of this instance: name bytes at `ptr` (scratch), FLAG_* bits (the
 * host sets FLAG_HOST), arity and legacy key positions. Returns its id, -1 when out of memory.
 */
export function customCommandRegister(ptr: usize, len: u32, flags: u32, arity: i32, first: i32, last: i32, step: i32): i32 {
  keyspaceLock();
  const id = customRegister(ptr, len, flags, arity, first, last, step);
  keyspaceUnlock();
  return id;
}

/** The request buffer for a custom command's built-in calls, `n` bytes; 0 when out of memory. Caller holds the lock. */
export function customCallBuffer(n: u32): usize { return customCallBufferOf(n); }
