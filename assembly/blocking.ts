// Blocking commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP): the clients
// waiting on keys, the keys made ready by a command, and the replies delivered to waiting clients
// on whichever worker thread holds their connection.
//
// Owns: the waiter registry (shared by every engine instance, under the keyspace lock), this
// instance's ready-key list, and the per-region delivery lists.
//
// How a wait goes:
//  1. A blocking command finds nothing to pop: it calls blockCurrent(). The waiter (its command,
//     a copy of its arguments, client id, protocol, db, region) is queued FIFO on every key it
//     names, in one step with the check (both under the keyspace lock: no push can slip between).
//     run() then ends the batch with RUN_BLOCKED; the host keeps the client's later input queued.
//  2. Any command that creates a list or sorted set at a key with waiters (keyspace insert())
//     calls signalKeyReady(). After that command, run() calls serveReadyKeys(): for each ready key,
//     waiters are tried oldest first by running their own command again in serve mode (restricted
//     to that key); each one served gets its reply cut out of the output buffer into a delivery
//     for its region, and leaves every queue. Keys a served command makes ready (BLMOVE's
//     destination) are served in the same loop, as Redis does.
//  3. The host of the waiter's thread takes its region's deliveries (deliveriesTake) and sends
//     them; a delivery wakes that thread (atomic.notify on the list head) if it is another one.
//  Timeouts and CLIENT UNBLOCK go through waiterCancel / unblockClient, which deliver the timeout
//  reply (or the UNBLOCKED error) the same way; a disconnect removes the waiter silently.
//
//  Blocking state (BS_SIZE bytes, at the pointer in header word H_BLOCKING)      offset
//  ┌───────────────────────────────────────────────────────────────────────────┐
//  │ registry dict u32: key = db u32 + key bytes → value: queue head u32, tail u32 │ 0
//  │ waiters-by-id dict u32: key = id u32 → value: waiter ptr u32               │ 4
//  │ waiter count u32 (INFO blocked_clients)                                    │ 8
//  │ next waiter id u32                                                         │ 12
//  │ waiters with a timeout u32 (INFO clients_in_timeout_table)                 │ 16
//  └───────────────────────────────────────────────────────────────────────────┘
//
//  Waiter (one block)                                                      offset
//  ┌───────────────────────────────────────────────────────────────────────────┐
//  │ id u32 · region u32 · db i32 · command id i32                            │ 0 4 8 12
//  │ client id f64                                                            │ 16
//  │ protocol u32 · argc u32 · queued keys u32                                │ 24 28 32
//  │ has a timeout u32 (1: counted in waiters with a timeout)                 │ 36
//  │ argument table ptr u32 (inside this block)                               │ 40
//  │ queue nodes [key arguments] u32 · argument table [argc] (ptr u32, len u32) · argument bytes │ 44
//  └───────────────────────────────────────────────────────────────────────────┘
//  Queue node (16 bytes): next u32 · prev u32 · waiter u32 · registry node u32 (its key)
//
//  Delivery (one block, pushed on a region's W_DELIVERIES list):
//  next u32 · waiter id u32 · length u32 · pad u32 · reply bytes [length]

import { alloc, free } from "./alloc";
import { headerBase, H_BLOCKING } from "./layout";
import { dictNew, dictFind, dictAdd, dictDeleteNode, dictFirst, dictNext, nodeKey, nodeKeyLen, nodeVal } from "./ds/dict";
import { dbAt, dbIndexOf } from "./keyspace";
import { W_DELIVERIES } from "./worker";
import { argPtr, argLen, argvPtr, argvCap, argBase, parserSetArgv, parserSetArgBase } from "./resp/parser";
import {
  outPtr, outLen, proto, writerSetProto, writerTruncate, writeNullArray, writeNull, writeError,
} from "./resp/writer";
import { CMD_BLMOVE, CMD_BRPOPLPUSH } from "./commands/table.generated";
import { cmdArgc, curDbIndex, setCommandContext } from "./commands/args";
import { executeCommand } from "./commands/dispatch";

const BS_REGISTRY: usize = 0;
const BS_BY_ID: usize = 4;
const BS_COUNT: usize = 8;
const BS_NEXT_ID: usize = 12;
const BS_TIMED: usize = 16;
const BS_SIZE: usize = 20;

const WT_ID: usize = 0;
const WT_REGION: usize = 4;
const WT_DB: usize = 8;
const WT_CMD: usize = 12;
const WT_CLIENT: usize = 16;
const WT_PROTO: usize = 24;
const WT_ARGC: usize = 28;
const WT_NKEYS: usize = 32;
const WT_TIMED: usize = 36;
const WT_ARGV: usize = 40;
const WT_NODES: usize = 44;

const Q_NEXT: usize = 0;
const Q_PREV: usize = 4;
const Q_WAITER: usize = 8;
const Q_REG: usize = 12;
const Q_SIZE: usize = 16;

const DL_NEXT: usize = 0;
const DL_WAITER: usize = 4;
const DL_LEN: usize = 8;
const DL_HEADER: usize = 16;

// A wait that times out (or is ended by CLIENT UNBLOCK … TIMEOUT) answers with a null array in
// Redis 7.0, for every blocking command — BLMOVE and BRPOPLPUSH too ("*-1" in RESP2), although their
// immediate "nothing to move" reply is a null bulk.

/** waiterCancel modes. */
export const CANCEL_TIMEOUT: i32 = 0;   // deliver the timeout reply
export const CANCEL_ERROR: i32 = 1;     // deliver -UNBLOCKED (CLIENT UNBLOCK … ERROR)
export const CANCEL_SILENT: i32 = 2;    // the client is gone: just forget it

// @ts-ignore: decorator
@inline function state(): usize { return <usize>load<u32>(headerBase() + H_BLOCKING); }

/** Create the blocking state. Called once per shared memory; false when memory is exhausted. */
export function blockingInit(): bool {
  const s = alloc(BS_SIZE);
  if (s == 0) return false;
  const reg = dictNew();
  const ids = dictNew();
  if (reg == 0 || ids == 0) return false;
  store<u32>(s + BS_REGISTRY, <u32>reg);
  store<u32>(s + BS_BY_ID, <u32>ids);
  store<u32>(s + BS_COUNT, 0);
  store<u32>(s + BS_NEXT_ID, 1);
  store<u32>(s + BS_TIMED, 0);
  store<u32>(headerBase() + H_BLOCKING, <u32>s);
  return true;
}

/** Number of clients waiting (INFO blocked_clients). */
export function blockedCount(): u32 {
  const s = state();
  return s == 0 ? 0 : load<u32>(s + BS_COUNT);
}

/** Number of waiting clients whose wait has a timeout (INFO clients_in_timeout_table). */
export function blockedTimedCount(): u32 {
  const s = state();
  return s == 0 ? 0 : load<u32>(s + BS_TIMED);
}

// ─── per-instance context of the batch being run (set by run.ts) ─────────────────────────────

let curRegion: usize = 0;
let curClient: f64 = 0;
/** Set by blockCurrent(): the waiter the current command became (run() then ends the batch). */
export let blockedId: u32 = 0;
export let blockedTimeout: i64 = 0;

// Inside EXEC nothing may block (Redis's CLIENT_DENY_BLOCKING): a blocking command that finds
// nothing answers at once, with the reply its non-blocking form gives for "nothing there".
let denyBlocking: bool = false;

/** Set while run() replays a transaction (EXEC). */
export function setDenyBlocking(on: bool): void { denyBlocking = on; }

/** The region and client id of the batch run() is about to execute. */
export function setClientContext(region: usize, client: f64): void {
  curRegion = region;
  curClient = client;
  blockedId = 0;
}

// Serve mode: a waiter's command runs again for one ready key. Blocking commands check
// `serving`: they look only at the key being served, never block, and call markServed() once
// they replied (popped, or an error that ends the wait such as WRONGTYPE on BLMOVE's target).
export let serving: bool = false;
let servingKey: usize = 0;
let servingKeyLen: usize = 0;
let served: bool = false;
export function markServed(): void { served = true; }

/** In serve mode, is argument ai the key being served? (Always true outside serve mode.) */
export function isServingKey(ai: i32): bool {
  if (!serving) return true;
  return argLen(ai) == servingKeyLen && memory.compare(argPtr(ai), servingKey, servingKeyLen) == 0;
}

// ─── the registry ───────────────────────────────────────────────────────────────────────────

/** A block holding the registry key of (db, key): db i32 then the key bytes; 0 when exhausted. */
function regKey(db: i32, k: usize, klen: usize): usize {
  const b = alloc(klen < 4 ? <usize>8 : 4 + klen); // at least 8 readable bytes (see enqueue)
  if (b == 0) return 0;
  store<i32>(b, db);
  memory.copy(b + 4, k, klen);
  return b;
}

/** Registry node of (db, key), or 0. */
function registryFind(db: i32, k: usize, klen: usize): usize {
  const rk = regKey(db, k, klen);
  if (rk == 0) return 0;
  const n = dictFind(<usize>load<u32>(state() + BS_REGISTRY), rk, 4 + klen);
  free(rk);
  return n;
}

/**
 * Block the current command's client on key arguments [first, first + count) (a key named twice
 * is queued once), for `timeoutMs` (0 = forever). False when memory is exhausted (nothing queued).
 */
export function blockCurrent(cmd: i32, first: i32, count: i32, timeoutMs: i64): bool {
  if (denyBlocking) {
    // BLMOVE and BRPOPLPUSH answer a null bulk, as LMOVE would; the others a null array
    if (cmd == CMD_BLMOVE || cmd == CMD_BRPOPLPUSH) writeNull(); else writeNullArray();
    return true;
  }
  const s = state();
  const argc = cmdArgc;
  let bytes: usize = 0;
  for (let i = 0; i < argc; i++) bytes += argLen(i);
  const argvAt = WT_NODES + (<usize>count << 2);
  const bytesAt = argvAt + (<usize>argc << 3);
  const w = alloc(bytesAt + bytes);
  if (w == 0) return false;
  const id = load<u32>(s + BS_NEXT_ID);
  store<u32>(s + BS_NEXT_ID, id == 0xFFFFFFFF ? 1 : id + 1);
  store<u32>(w + WT_ID, id);
  store<u32>(w + WT_REGION, <u32>curRegion);
  store<i32>(w + WT_DB, curDbIndex);
  store<i32>(w + WT_CMD, cmd);
  store<f64>(w + WT_CLIENT, curClient);
  store<u32>(w + WT_PROTO, <u32>proto);
  store<u32>(w + WT_ARGC, <u32>argc);
  store<u32>(w + WT_NKEYS, 0);
  store<u32>(w + WT_ARGV, <u32>(w + argvAt));
  store<u32>(w + WT_TIMED, timeoutMs > 0 ? 1 : 0);
  let at = w + bytesAt;
  for (let i = 0; i < argc; i++) {
    const n = argLen(i);
    memory.copy(at, argPtr(i), n);
    store<u32>(w + argvAt + (<usize>i << 3), <u32>at);
    store<u32>(w + argvAt + (<usize>i << 3) + 4, <u32>n);
    at += n;
  }
  const idn = dictAdd(<usize>load<u32>(s + BS_BY_ID), w + WT_ID, 4, w + WT_ID, 4);
  if (idn == 0) { free(w); return false; }
  store<u32>(nodeVal(idn), <u32>w);
  for (let i = first; i < first + count; i++) {
    if (!enqueue(w, argPtr(i), argLen(i))) { removeWaiter(w); return false; }
  }
  store<u32>(s + BS_COUNT, load<u32>(s + BS_COUNT) + 1);
  if (timeoutMs > 0) store<u32>(s + BS_TIMED, load<u32>(s + BS_TIMED) + 1);
  blockedId = id;
  blockedTimeout = timeoutMs;
  return true;
}

/** Queue waiter w at the tail of key [k, klen)'s queue (once, even if named twice). */
function enqueue(w: usize, k: usize, klen: usize): bool {
  const reg = <usize>load<u32>(state() + BS_REGISTRY);
  let rn = registryFind(load<i32>(w + WT_DB), k, klen);
  if (rn == 0) {
    const rk = regKey(load<i32>(w + WT_DB), k, klen);
    if (rk == 0) return false;
    rn = dictAdd(reg, rk, 4 + klen, rk, 8); // value: queue head and tail, set just below
    free(rk);
    if (rn == 0) return false;
    store<u32>(nodeVal(rn), 0);
    store<u32>(nodeVal(rn) + 4, 0);
  } else {
    for (let q = <usize>load<u32>(nodeVal(rn)); q != 0; q = <usize>load<u32>(q + Q_NEXT)) {
      if (<usize>load<u32>(q + Q_WAITER) == w) return true;
    }
  }
  const q = alloc(Q_SIZE);
  if (q == 0) { if (load<u32>(nodeVal(rn)) == 0) dictDeleteNode(reg, rn); return false; }
  const tail = <usize>load<u32>(nodeVal(rn) + 4);
  store<u32>(q + Q_NEXT, 0);
  store<u32>(q + Q_PREV, <u32>tail);
  store<u32>(q + Q_WAITER, <u32>w);
  store<u32>(q + Q_REG, <u32>rn);
  if (tail != 0) store<u32>(tail + Q_NEXT, <u32>q); else store<u32>(nodeVal(rn), <u32>q);
  store<u32>(nodeVal(rn) + 4, <u32>q);
  const nkeys = load<u32>(w + WT_NKEYS);
  store<u32>(w + WT_NODES + (<usize>nkeys << 2), <u32>q);
  store<u32>(w + WT_NKEYS, nkeys + 1);
  return true;
}

/** Take waiter w out of every queue and the id index, and free it. */
function removeWaiter(w: usize): void {
  const s = state();
  const reg = <usize>load<u32>(s + BS_REGISTRY);
  const nkeys = load<u32>(w + WT_NKEYS);
  for (let i: u32 = 0; i < nkeys; i++) {
    const q = <usize>load<u32>(w + WT_NODES + (<usize>i << 2));
    const rn = <usize>load<u32>(q + Q_REG);
    const next = <usize>load<u32>(q + Q_NEXT);
    const prev = <usize>load<u32>(q + Q_PREV);
    if (prev != 0) store<u32>(prev + Q_NEXT, <u32>next); else store<u32>(nodeVal(rn), <u32>next);
    if (next != 0) store<u32>(next + Q_PREV, <u32>prev); else store<u32>(nodeVal(rn) + 4, <u32>prev);
    free(q);
    if (load<u32>(nodeVal(rn)) == 0) dictDeleteNode(reg, rn);
  }
  const ids = <usize>load<u32>(s + BS_BY_ID);
  const idn = dictFind(ids, w + WT_ID, 4);
  if (idn != 0) dictDeleteNode(ids, idn);
  free(w);
}

/** A waiter leaves for good (served, timed out, unblocked or disconnected). */
function retire(w: usize): void {
  const s = state();
  store<u32>(s + BS_COUNT, load<u32>(s + BS_COUNT) - 1);
  if (load<u32>(w + WT_TIMED) != 0) store<u32>(s + BS_TIMED, load<u32>(s + BS_TIMED) - 1);
  removeWaiter(w);
}

/** The waiter with id `id`, or 0. */
function waiterById(id: u32): usize {
  const b = alloc(4);
  if (b == 0) return 0;
  store<u32>(b, id);
  const n = dictFind(<usize>load<u32>(state() + BS_BY_ID), b, 4);
  free(b);
  return n == 0 ? 0 : <usize>load<u32>(nodeVal(n));
}

// ─── deliveries ─────────────────────────────────────────────────────────────────────────────

/** Hand reply bytes [p, p+n) to waiter w's region, and wake its thread. */
function deliver(w: usize, p: usize, n: usize): void {
  const d = alloc(DL_HEADER + n);
  if (d == 0) return; // memory exhausted: the client stays without a reply, as on a lost write
  store<u32>(d + DL_WAITER, load<u32>(w + WT_ID));
  store<u32>(d + DL_LEN, <u32>n);
  memory.copy(d + DL_HEADER, p, n);
  const head = <usize>load<u32>(w + WT_REGION) + W_DELIVERIES;
  // the owner takes the list with an atomic exchange, outside the keyspace lock
  for (;;) {
    const old = atomic.load<u32>(head);
    store<u32>(d + DL_NEXT, old);
    if (atomic.cmpxchg<u32>(head, old, <u32>d) == old) break;
  }
  atomic.notify(head, 1);
}

/**
 * Take every delivery of region w (a list, newest first; 0 if none). The host reads each
 * (next u32 · waiter id u32 · length u32 · pad · bytes) and frees the list with deliveriesFree.
 */
export function deliveriesTake(w: usize): usize {
  return <usize>atomic.xchg<u32>(w + W_DELIVERIES, 0);
}

/** Free a list returned by deliveriesTake. */
export function deliveriesFree(d: usize): void {
  while (d != 0) {
    const next = <usize>load<u32>(d + DL_NEXT);
    free(d);
    d = next;
  }
}

// ─── ready keys (this instance, within one run() call) ──────────────────────────────────────
//  Ready list: a block of (db i32, key copy ptr u32, key len u32) triples, in signal order.

let readyList: usize = 0;
let readyCount: u32 = 0;
let readyCap: u32 = 0;

// Redis 7.0 signals a key only when it is added to a database (dbAdd: LPUSH on a missing key,
// RENAME, MOVE, COPY, …), not when a value replaces an existing key in place (setKey → dbOverwrite:
// SORT … STORE over an existing key, whatever its type). Commands that replace mute the signal.
let signalsMuted: bool = false;

/** Mute (true) or restore (false) signalKeyReady around a value that replaces an existing key. */
export function muteKeySignals(on: bool): void { signalsMuted = on; }
/** Is a replacing value being stored (no "new" key event either)? */
export function keySignalsMuted(): bool { return signalsMuted; }

/** Key [k, klen) of db (address) was just created as a list or sorted set. */
export function signalKeyReady(db: usize, k: usize, klen: usize): void {
  if (signalsMuted) return;
  const s = state();
  if (s == 0 || load<u32>(s + BS_COUNT) == 0) return;
  const dbi = dbIndexOf(db);
  if (registryFind(dbi, k, klen) == 0) return;
  for (let i: u32 = 0; i < readyCount; i++) {
    const r = readyList + <usize>i * 12;
    if (load<i32>(r) == dbi && <usize>load<u32>(r + 8) == klen && memory.compare(<usize>load<u32>(r + 4), k, klen) == 0) return;
  }
  if (readyCount == readyCap) {
    const ncap = readyCap == 0 ? 8 : readyCap << 1;
    const nl = alloc(<usize>ncap * 12);
    if (nl == 0) return;
    if (readyList != 0) { memory.copy(nl, readyList, <usize>readyCount * 12); free(readyList); }
    readyList = nl;
    readyCap = ncap;
  }
  const copy = alloc(klen == 0 ? 1 : klen);
  if (copy == 0) return;
  memory.copy(copy, k, klen);
  const r = readyList + <usize>readyCount * 12;
  store<i32>(r, dbi);
  store<u32>(r + 4, <u32>copy);
  store<u32>(r + 8, <u32>klen);
  readyCount++;
}

/** Every key of db with waiters may now hold something (SWAPDB): signal them all. */
export function signalDatabase(db: usize): void {
  const s = state();
  if (s == 0 || load<u32>(s + BS_COUNT) == 0) return;
  const reg = <usize>load<u32>(s + BS_REGISTRY);
  const dbi = dbIndexOf(db);
  for (let n = dictFirst(reg); n != 0; n = dictNext(reg, n)) {
    if (load<i32>(nodeKey(n)) == dbi) signalKeyReady(db, nodeKey(n) + 4, nodeKeyLen(n) - 4);
  }
}

/** Did the last command make any key with waiters ready? (run() checks after each command.) */
// @ts-ignore: decorator
@inline export function hasReadyKeys(): bool { return readyCount != 0; }

/**
 * Serve the waiters of every ready key, oldest first, until the key has nothing left for the
 * next one. Each reply is written to the output buffer, moved into a delivery, and cut off again.
 * Keys made ready while serving (BLMOVE's destination) are served in the same loop.
 */
export function serveReadyKeys(): void {
  const savedArgv = argvPtr;
  const savedCap = argvCap;
  const savedBase = argBase;
  const savedArgc = cmdArgc;
  const savedDbIndex = curDbIndex;
  const savedProto = proto;
  for (let i: u32 = 0; i < readyCount; i++) {
    const r = readyList + <usize>i * 12;
    const dbi = load<i32>(r);
    const k = <usize>load<u32>(r + 4);
    const klen = <usize>load<u32>(r + 8);
    for (;;) {
      const rn = registryFind(dbi, k, klen);
      if (rn == 0) break;
      // oldest waiter on this key that can be served now
      let q = <usize>load<u32>(nodeVal(rn));
      let progressed = false;
      while (q != 0) {
        const next = <usize>load<u32>(q + Q_NEXT);
        if (serveOne(<usize>load<u32>(q + Q_WAITER), k, klen)) { progressed = true; break; }
        q = next;
      }
      // a served waiter may have freed this queue: look the key up again for the next one
      if (!progressed) break;
    }
    free(k);
  }
  readyCount = 0;
  parserSetArgv(savedArgv, savedCap);
  parserSetArgBase(savedBase);
  setCommandContext(savedArgc, savedDbIndex, dbAt(savedDbIndex));
  writerSetProto(savedProto);
}

/**
 * Run waiter w's command for ready key [k, klen). True when it replied (the reply is delivered
 * and the waiter gone); false when the key holds nothing for it (the waiter stays queued).
 */
function serveOne(w: usize, k: usize, klen: usize): bool {
  const argc = load<u32>(w + WT_ARGC);
  parserSetArgv(<usize>load<u32>(w + WT_ARGV), <usize>argc);
  parserSetArgBase(0);
  const dbi = load<i32>(w + WT_DB);
  setCommandContext(<i32>argc, dbi, dbAt(dbi));
  writerSetProto(<i32>load<u32>(w + WT_PROTO));
  const mark = outLen;
  serving = true;
  servingKey = k;
  servingKeyLen = klen;
  served = false;
  executeCommand(load<i32>(w + WT_CMD));
  serving = false;
  if (!served) { writerTruncate(mark); return false; }
  deliver(w, outPtr + mark, outLen - mark);
  writerTruncate(mark);
  retire(w);
  return true;
}

// ─── timeouts, CLIENT UNBLOCK, disconnects ──────────────────────────────────────────────────

/** Deliver waiter w's timeout reply (or the UNBLOCKED error) and retire it. */
function cancel(w: usize, mode: i32): void {
  if (mode != CANCEL_SILENT) {
    const savedProto = proto;
    const mark = outLen;
    writerSetProto(<i32>load<u32>(w + WT_PROTO));
    if (mode == CANCEL_ERROR) writeError("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else writeNullArray();
    deliver(w, outPtr + mark, outLen - mark);
    writerTruncate(mark);
    writerSetProto(savedProto);
  }
  retire(w);
}

/**
 * End the wait of waiter `id` (mode CANCEL_*). Returns 1 if it was still waiting, 0 if it had
 * already been served (its reply is then on its way). Caller holds the keyspace lock and has an
 * output buffer set up (writerBegin) for the reply bytes.
 */
export function waiterCancel(id: u32, mode: i32): i32 {
  const w = waiterById(id);
  if (w == 0) return 0;
  cancel(w, mode);
  return 1;
}

/** CLIENT UNBLOCK: end the wait of whichever waiter belongs to client `client`. 1 if there was one. */
export function unblockClient(client: f64, mode: i32): i32 {
  const s = state();
  const ids = <usize>load<u32>(s + BS_BY_ID);
  for (let n = dictFirst(ids); n != 0; n = dictNext(ids, n)) {
    const w = <usize>load<u32>(nodeVal(n));
    if (load<f64>(w + WT_CLIENT) == client) { cancel(w, mode); return 1; }
  }
  return 0;
}
