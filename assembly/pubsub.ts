// Pub/Sub and MONITOR: the channel, shard-channel and pattern subscriptions of every connection,
// the MONITOR connections, and the delivery of messages to them on whichever worker thread holds
// their socket.
//
// Owns: the subscription registry (shared by every engine instance, under the keyspace lock), the
// client records, and the per-region lists of records with bytes waiting (W_PUBSUB_DIRTY).
//
// How a message goes:
//  1. PUBLISH (or a keyspace notification, or a MONITOR line) runs under the keyspace lock. The
//     message is encoded once; each receiver's copy is appended to its client record's buffer —
//     or, when the receiver is the connection whose batch is running, straight into the batch's
//     output, so it lands before the command's own reply as in Redis.
//  2. A record that gets bytes is linked on its region's dirty list; the first link wakes that
//     thread (atomic.notify on the list head, which its host waits on).
//  3. The host of that thread takes the list (pubsubTake, under the lock) and writes each record's
//     bytes to its socket, in one write per connection. Bytes that wait for a connection whose own
//     batch starts are moved into that batch's output first (pubsubBatchBegin): its replies never
//     overtake earlier messages.
//
//  Pub/Sub state (PS_SIZE bytes, at the pointer in header word H_PUBSUB)        offset
//  ┌───────────────────────────────────────────────────────────────────────────┐
//  │ channels dict u32: channel bytes → subscriber list ptr u32                │ 0
//  │ shard channels dict u32: channel bytes → subscriber list ptr u32          │ 4
//  │ patterns dict u32: pattern bytes → subscriber list ptr u32                │ 8
//  │ monitors: subscriber list ptr u32 (0 until the first MONITOR)             │ 12
//  │ monitor count u32 (the host reads it: feed MONITOR lines?)                │ 16
//  │ subscriptions u32 (of every kind and client: 0 lets PUBLISH return early) │ 20
//  │ temporary u32 (a dict value being added)                                   │ 24
//  └───────────────────────────────────────────────────────────────────────────┘
//
//  Subscriber list: count u32 · capacity u32 · client record ptr u32 [capacity], in the order the
//  clients subscribed (messages go out in that order).
//
//  Client record (CR_SIZE bytes; one per connection that subscribes or monitors)       offset
//  ┌───────────────────────────────────────────────────────────────────────────┐
//  │ client id f64                                                             │ 0
//  │ region u32 (the worker region of its thread)                              │ 8
//  │ protocol u32 (2 or 3: messages are arrays or pushes)                      │ 12
//  │ buffer ptr u32 · length u32 · capacity u32 (bytes waiting for its thread) │ 16 20 24
//  │ next record u32 (its region's dirty list)                                 │ 28
//  │ flags u32 (CF_*)                                                          │ 32
//  └───────────────────────────────────────────────────────────────────────────┘ 36
//  (What a connection listens on is kept by its host, src/engine/session.ts `subs`.)

import { alloc, free, realloc } from "./alloc";
import { headerBase, H_PUBSUB } from "./layout";
import { dictNew, dictFind, dictAdd, dictDeleteNode, dictFirst, dictNext, dictSize, nodeKey, nodeKeyLen, nodeVal } from "./ds/dict";
import { globMatch } from "./util/glob";
import { decimalLength, formatI64 } from "./util/number";
import { W_PUBSUB_DIRTY, W_MON_ADDR, W_MON_ADDR_LEN } from "./worker";
import { configPubsubBufferLimit } from "./config";
import { serving } from "./blocking";
import { argPtr, argLen, cmdArgc } from "./commands/args";
import * as W from "./resp/writer";

const PS_CHANNELS: usize = 0;
const PS_SHARD: usize = 4;
const PS_PATTERNS: usize = 8;
const PS_MONITORS: usize = 12;
const PS_MONITOR_COUNT: usize = 16;
const PS_TOTAL: usize = 20;
const PS_TMP: usize = 24;
const PS_SIZE: usize = 28;

const L_COUNT: usize = 0;
const L_CAP: usize = 4;
const L_ITEMS: usize = 8;

const CR_CLIENT: usize = 0;
const CR_REGION: usize = 8;
const CR_PROTO: usize = 12;
const CR_BUF: usize = 16;
const CR_LEN: usize = 20;
const CR_CAP: usize = 24;
const CR_NEXT: usize = 28;
const CR_FLAGS: usize = 32;
const CR_SIZE: usize = 36;

/** Record flags. */
const CF_QUEUED: u32 = 1;    // linked on its region's dirty list
const CF_OVERFLOW: u32 = 2;  // went past the output buffer limit: the host closes the connection
const CF_CLOSED: u32 = 4;    // the connection is gone: free the record when it leaves the dirty list

/** Subscription kinds (the host passes these). */
export const KIND_CHANNEL: i32 = 0;
export const KIND_PATTERN: i32 = 1;
export const KIND_SHARD: i32 = 2;

/** Buffers above this are given back once their bytes have been taken. */
const KEEP_BUFFER: u32 = 16 * 1024;

// @ts-ignore: decorator
@inline function st(): usize { return <usize>load<u32>(headerBase() + H_PUBSUB); }

function dictOf(kind: i32): usize {
  return <usize>load<u32>(st() + (kind == KIND_PATTERN ? PS_PATTERNS : kind == KIND_SHARD ? PS_SHARD : PS_CHANNELS));
}

/** Create the registry. Called once per shared memory; false when memory is exhausted. */
export function pubsubInit(): bool {
  const s = alloc(PS_SIZE);
  if (s == 0) return false;
  memory.fill(s, 0, PS_SIZE);
  const a = dictNew(), b = dictNew(), c = dictNew();
  if (a == 0 || b == 0 || c == 0) return false;
  store<u32>(s + PS_CHANNELS, <u32>a);
  store<u32>(s + PS_SHARD, <u32>b);
  store<u32>(s + PS_PATTERNS, <u32>c);
  store<u32>(headerBase() + H_PUBSUB, <u32>s);
  return true;
}

/** Channels (kind 0), patterns (1) or shard channels (2) with at least one subscriber (INFO stats). */
export function pubsubCount(kind: i32): u32 { return dictSize(dictOf(kind)); }

/** Address of the registry header (the host reads the monitor count at offset 16). */
export function pubsubState(): usize { return st(); }

// ─── subscriber lists ───────────────────────────────────────────────────────────────────────

/** Append rec to the list whose pointer is stored at `slot` (the list may move). */
function listPush(slot: usize, rec: usize): bool {
  let l = <usize>load<u32>(slot);
  if (l == 0) {
    l = alloc(L_ITEMS + 4 * 4);
    if (l == 0) return false;
    store<u32>(l + L_COUNT, 0);
    store<u32>(l + L_CAP, 4);
    store<u32>(slot, <u32>l);
  }
  const n = load<u32>(l + L_COUNT);
  const cap = load<u32>(l + L_CAP);
  if (n == cap) {
    const nl = realloc(l, L_ITEMS + (<usize>cap << 3));
    if (nl == 0) return false;
    l = nl;
    store<u32>(l + L_CAP, cap << 1);
    store<u32>(slot, <u32>l);
  }
  store<u32>(l + L_ITEMS + (<usize>n << 2), <u32>rec);
  store<u32>(l + L_COUNT, n + 1);
  return true;
}

/** Position of rec in list l, or -1. */
function listIndex(l: usize, rec: usize): i32 {
  if (l == 0) return -1;
  const n = <i32>load<u32>(l + L_COUNT);
  for (let i = 0; i < n; i++) if (<usize>load<u32>(l + L_ITEMS + (<usize>i << 2)) == rec) return i;
  return -1;
}

/** Remove entry i of list l, keeping the order of the others; returns the count left. */
function listRemoveAt(l: usize, i: i32): u32 {
  const n = load<u32>(l + L_COUNT) - 1;
  const at = l + L_ITEMS + (<usize>i << 2);
  memory.copy(at, at + 4, (<usize>n - <usize>i) << 2);
  store<u32>(l + L_COUNT, n);
  return n;
}

// ─── client records ─────────────────────────────────────────────────────────────────────────

/** A record for connection `client` of the thread owning `region`; 0 when memory is exhausted. */
export function pubsubClientNew(region: usize, client: f64, protocol: i32): usize {
  const r = alloc(CR_SIZE);
  if (r == 0) return 0;
  memory.fill(r, 0, CR_SIZE);
  store<f64>(r + CR_CLIENT, client);
  store<u32>(r + CR_REGION, <u32>region);
  store<u32>(r + CR_PROTO, <u32>protocol);
  return r;
}

/** The connection switched protocol (HELLO): later messages use it. */
export function pubsubClientSetProto(rec: usize, protocol: i32): void {
  store<u32>(rec + CR_PROTO, <u32>protocol);
}

/**
 * The connection is gone (it has left every channel and stopped monitoring). The record is freed
 * now, or when its thread takes it off the dirty list.
 */
export function pubsubClientFree(rec: usize): void {
  const f = load<u32>(rec + CR_FLAGS);
  if (f & CF_QUEUED) { store<u32>(rec + CR_FLAGS, f | CF_CLOSED); return; }
  recordFree(rec);
}

function recordFree(rec: usize): void {
  const b = <usize>load<u32>(rec + CR_BUF);
  if (b != 0) free(b);
  free(rec);
}

/** Subscribe rec to channel/pattern [p, len) of `kind`: 1 added, 0 already there, -1 out of memory. */
export function pubsubSubscribe(rec: usize, kind: i32, p: usize, len: usize): i32 {
  const s = st();
  const d = dictOf(kind);
  let n = dictFind(d, p, len);
  if (n == 0) {
    store<u32>(s + PS_TMP, 0);
    n = dictAdd(d, p, len, s + PS_TMP, 4);
    if (n == 0) return -1;
  } else if (listIndex(<usize>load<u32>(nodeVal(n)), rec) >= 0) return 0;
  if (!listPush(nodeVal(n), rec)) {
    if (load<u32>(nodeVal(n)) == 0) dictDeleteNode(d, n);
    return -1;
  }
  store<u32>(s + PS_TOTAL, load<u32>(s + PS_TOTAL) + 1);
  return 1;
}

/** Unsubscribe rec from channel/pattern [p, len) of `kind`: 1 removed, 0 was not subscribed. */
export function pubsubUnsubscribe(rec: usize, kind: i32, p: usize, len: usize): i32 {
  const s = st();
  const d = dictOf(kind);
  const n = dictFind(d, p, len);
  if (n == 0) return 0;
  const l = <usize>load<u32>(nodeVal(n));
  const i = listIndex(l, rec);
  if (i < 0) return 0;
  if (listRemoveAt(l, i) == 0) {
    free(l);
    dictDeleteNode(d, n);
  }
  store<u32>(s + PS_TOTAL, load<u32>(s + PS_TOTAL) - 1);
  return 1;
}

/** Start (1) or stop (0) sending rec every command the server runs. */
export function monitorSet(rec: usize, on: i32): void {
  const s = st();
  const l = <usize>load<u32>(s + PS_MONITORS);
  const i = listIndex(l, rec);
  if (on != 0) {
    if (i >= 0 || !listPush(s + PS_MONITORS, rec)) return;
  } else {
    if (i < 0) return;
    listRemoveAt(l, i);
  }
  store<u32>(s + PS_MONITOR_COUNT, load<u32>(<usize>load<u32>(s + PS_MONITORS) + L_COUNT));
}

// ─── delivery ───────────────────────────────────────────────────────────────────────────────

/** The connection whose batch is running on this instance (its messages go to the output). */
let selfClient: f64 = -1;

/**
 * A batch of `client` starts (run() holds the lock): bytes already waiting in its record `rec`
 * (0 = none) go out first, and messages for it from now on go straight to the output.
 */
export function pubsubBatchBegin(client: f64, rec: usize): void {
  selfClient = client;
  if (rec == 0) return;
  const len = <usize>load<u32>(rec + CR_LEN);
  if (len == 0) return;
  W.writeRaw(<usize>load<u32>(rec + CR_BUF), len);
  store<u32>(rec + CR_LEN, 0);
}

/** The batch ended (the lock is about to be released). */
export function pubsubBatchEnd(): void { selfClient = -1; }

/** Link rec on its region's dirty list; the first link wakes that thread. */
function markDirty(rec: usize): void {
  const f = load<u32>(rec + CR_FLAGS);
  if (f & CF_QUEUED) return;
  store<u32>(rec + CR_FLAGS, f | CF_QUEUED);
  const head = <usize>load<u32>(rec + CR_REGION) + W_PUBSUB_DIRTY;
  const old = atomic.load<u32>(head);
  store<u32>(rec + CR_NEXT, old);
  atomic.store<u32>(head, <u32>rec);
  if (old == 0) atomic.notify(head, 1);
}

/**
 * Give rec the message [m, m+n). `push` marks an array message whose first byte becomes '>' for
 * RESP3 receivers (MONITOR lines are simple strings in both protocols).
 */
function deliver(rec: usize, m: usize, n: usize, push: bool): void {
  const resp3 = push && load<u32>(rec + CR_PROTO) == 3;
  if (load<f64>(rec + CR_CLIENT) == selfClient && !serving) {
    W.writeRaw(m, n);
    if (resp3 && !W.outOverflow) store<u8>(W.outPtr + W.outLen - n, 0x3E);
    return;
  }
  const f = load<u32>(rec + CR_FLAGS);
  if (f & (CF_OVERFLOW | CF_CLOSED)) return;
  const len = <usize>load<u32>(rec + CR_LEN);
  const limit = <usize>configPubsubBufferLimit();
  if (limit != 0 && len + n > limit) {
    // past the hard limit: nothing more is queued and the host closes the connection
    store<u32>(rec + CR_FLAGS, f | CF_OVERFLOW);
    markDirty(rec);
    return;
  }
  let buf = <usize>load<u32>(rec + CR_BUF);
  const cap = <usize>load<u32>(rec + CR_CAP);
  if (len + n > cap) {
    let nc = cap << 1;
    if (nc < len + n) nc = len + n;
    if (nc < 256) nc = 256;
    const nb = realloc(buf, nc);
    if (nb == 0) { store<u32>(rec + CR_FLAGS, f | CF_OVERFLOW); markDirty(rec); return; }
    buf = nb;
    store<u32>(rec + CR_BUF, <u32>buf);
    store<u32>(rec + CR_CAP, <u32>nc);
  }
  memory.copy(buf + len, m, n);
  if (resp3) store<u8>(buf + len, 0x3E);
  store<u32>(rec + CR_LEN, <u32>(len + n));
  markDirty(rec);
}

/**
 * The host takes region's dirty list (caller holds the lock). Walk it with pubsubRecordDone, which
 * returns the next record; read each record's bytes in between (fields at CR_* offsets).
 */
export function pubsubTake(region: usize): usize {
  const head = region + W_PUBSUB_DIRTY;
  const r = atomic.load<u32>(head);
  atomic.store<u32>(head, 0);
  return <usize>r;
}

/** The host has sent rec's bytes: empty it, give back a large buffer; returns the next record. */
export function pubsubRecordDone(rec: usize): usize {
  const next = <usize>load<u32>(rec + CR_NEXT);
  const f = load<u32>(rec + CR_FLAGS) & ~CF_QUEUED;
  if (f & CF_CLOSED) { recordFree(rec); return next; }
  store<u32>(rec + CR_FLAGS, f & ~CF_OVERFLOW);
  store<u32>(rec + CR_LEN, 0);
  if (load<u32>(rec + CR_CAP) > KEEP_BUFFER) {
    free(<usize>load<u32>(rec + CR_BUF));
    store<u32>(rec + CR_BUF, 0);
    store<u32>(rec + CR_CAP, 0);
  }
  return next;
}

// ─── message encoding ───────────────────────────────────────────────────────────────────────

/** Bytes of a bulk string of n bytes: $<n>\r\n<bytes>\r\n */
// @ts-ignore: decorator
@inline function bulkSize(n: usize): usize { return 1 + <usize>decimalLength(<i64>n) + 2 + n + 2; }

function putBulk(dst: usize, p: usize, n: usize): usize {
  store<u8>(dst, 0x24);
  let at = dst + 1 + <usize>formatI64(dst + 1, <i64>n);
  store<u16>(at, 0x0A0D);
  memory.copy(at + 2, p, n);
  store<u16>(at + 2 + n, 0x0A0D);
  return at + 4 + n - dst;
}

function putAscii(dst: usize, s: string): usize {
  const p = changetype<usize>(s);
  const n = <usize>s.length;
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(p + (i << 1)));
  return n;
}

/**
 * Encode `*3 kind ch msg` (or `*4 pmessage pattern ch msg` when pat != 0) into a new block; its
 * length is left in encodedLen. 0 when memory is exhausted.
 */
let encodedLen: usize = 0;
function encodeMessage(kind: string, pat: usize, patLen: usize, ch: usize, chLen: usize, msg: usize, msgLen: usize): usize {
  const kindLen = <usize>kind.length;
  let size: usize = 4 + bulkSize(kindLen) + bulkSize(chLen) + bulkSize(msgLen);
  if (pat != 0) size += bulkSize(patLen);
  const m = alloc(size);
  if (m == 0) return 0;
  let at = m;
  store<u8>(at, 0x2A); store<u8>(at + 1, pat != 0 ? 0x34 : 0x33); store<u16>(at + 2, 0x0A0D);
  at += 4;
  store<u8>(at, 0x24);
  at += 1 + <usize>formatI64(at + 1, <i64>kindLen);
  store<u16>(at, 0x0A0D);
  at += 2 + putAscii(at + 2, kind);
  store<u16>(at, 0x0A0D);
  at += 2;
  if (pat != 0) at += putBulk(at, pat, patLen);
  at += putBulk(at, ch, chLen);
  at += putBulk(at, msg, msgLen);
  encodedLen = at - m;
  return m;
}

/** Deliver the encoded message to every record of list l; returns how many. */
function deliverAll(l: usize, m: usize, n: usize): i32 {
  if (l == 0) return 0;
  const cnt = <i32>load<u32>(l + L_COUNT);
  for (let i = 0; i < cnt; i++) deliver(<usize>load<u32>(l + L_ITEMS + (<usize>i << 2)), m, n, true);
  return cnt;
}

/**
 * Publish `msg` on channel `ch` (not a shard channel) to every subscriber of the channel and of
 * every matching pattern. Caller holds the keyspace lock. Returns the number of receivers.
 */
export function publishMessage(ch: usize, chLen: usize, msg: usize, msgLen: usize): i32 {
  const s = st();
  if (load<u32>(s + PS_TOTAL) == 0) return 0;
  let receivers = 0;
  const n = dictFind(<usize>load<u32>(s + PS_CHANNELS), ch, chLen);
  if (n != 0) {
    const m = encodeMessage("message", 0, 0, ch, chLen, msg, msgLen);
    if (m != 0) {
      receivers += deliverAll(<usize>load<u32>(nodeVal(n)), m, encodedLen);
      free(m);
    }
  }
  const pats = <usize>load<u32>(s + PS_PATTERNS);
  if (dictSize(pats) != 0) {
    for (let p = dictFirst(pats); p != 0; p = dictNext(pats, p)) {
      if (!globMatch(nodeKey(p), nodeKeyLen(p), ch, chLen, false)) continue;
      const m = encodeMessage("pmessage", nodeKey(p), nodeKeyLen(p), ch, chLen, msg, msgLen);
      if (m == 0) continue;
      receivers += deliverAll(<usize>load<u32>(nodeVal(p)), m, encodedLen);
      free(m);
    }
  }
  return receivers;
}

/** Publish `msg` on shard channel `ch`. Caller holds the keyspace lock. Returns the receivers. */
export function publishShardMessage(ch: usize, chLen: usize, msg: usize, msgLen: usize): i32 {
  const s = st();
  if (load<u32>(s + PS_TOTAL) == 0) return 0;
  const n = dictFind(<usize>load<u32>(s + PS_SHARD), ch, chLen);
  if (n == 0) return 0;
  const m = encodeMessage("smessage", 0, 0, ch, chLen, msg, msgLen);
  if (m == 0) return 0;
  const r = deliverAll(<usize>load<u32>(nodeVal(n)), m, encodedLen);
  free(m);
  return r;
}

// ─── MONITOR ────────────────────────────────────────────────────────────────────────────────

/** Are there MONITOR connections? (One load; run() asks once per batch.) */
export function monitoring(): bool {
  return load<u32>(st() + PS_MONITOR_COUNT) != 0;
}

/** A buffer of `len` bytes in region w for the running client's address (MONITOR lines). */
export function monitorAddrBuffer(w: usize, len: usize): usize {
  let p = <usize>load<u32>(w + W_MON_ADDR);
  if (p == 0 || len > 128) {
    const size = len > 128 ? len : 128;
    if (p != 0) free(p);
    p = alloc(size);
    store<u32>(w + W_MON_ADDR, <u32>p);
    if (p == 0) { store<u32>(w + W_MON_ADDR_LEN, 0); return 0; }
  }
  store<u32>(w + W_MON_ADDR_LEN, <u32>len);
  return p;
}

/** Bytes one argument takes in a MONITOR line, quoted and escaped. */
function quotedSize(p: usize, n: usize): usize {
  let size: usize = 3; // space and quotes
  for (let i: usize = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x5C || c == 0x22 || c == 10 || c == 13 || c == 9 || c == 7 || c == 8) size += 2;
    else if (c < 0x20 || c > 0x7E) size += 4;
    else size += 1;
  }
  return size;
}

const HEX = "0123456789abcdef";

function putQuoted(dst: usize, p: usize, n: usize): usize {
  let at = dst;
  store<u8>(at++, 0x20);
  store<u8>(at++, 0x22);
  for (let i: usize = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    let esc: u32 = 0;
    if (c == 0x5C || c == 0x22) esc = c;
    else if (c == 10) esc = 0x6E;
    else if (c == 13) esc = 0x72;
    else if (c == 9) esc = 0x74;
    else if (c == 7) esc = 0x61;
    else if (c == 8) esc = 0x62;
    if (esc != 0) { store<u8>(at, 0x5C); store<u8>(at + 1, <u8>esc); at += 2; }
    else if (c < 0x20 || c > 0x7E) {
      store<u8>(at, 0x5C); store<u8>(at + 1, 0x78);
      store<u8>(at + 2, <u8>load<u16>(changetype<usize>(HEX) + (<usize>(c >> 4) << 1)));
      store<u8>(at + 3, <u8>load<u16>(changetype<usize>(HEX) + (<usize>(c & 15) << 1)));
      at += 4;
    } else store<u8>(at++, <u8>c);
  }
  store<u8>(at++, 0x22);
  return at - dst;
}

/** Zero-padded decimal of v in exactly `width` digits. */
function putPadded(dst: usize, v: u32, width: i32): void {
  for (let i = width - 1; i >= 0; i--) { store<u8>(dst + <usize>i, <u8>(0x30 + v % 10)); v /= 10; }
}

/**
 * Send every MONITOR connection the line of the command just run by the batch's client: time
 * `nowMs` (fractional), database `db`, the client address set in region w, the arguments as sent.
 */
export function monitorFeedCommand(w: usize, nowMs: f64, db: i32): void {
  const argc = cmdArgc;
  const addr = <usize>load<u32>(w + W_MON_ADDR);
  const addrLen: usize = addr == 0 ? 0 : <usize>load<u32>(w + W_MON_ADDR_LEN);
  let size: usize = 1 + 20 + 1 + 7 + 2 + 11 + 1 + addrLen + 1 + 2;
  for (let i = 0; i < argc; i++) size += quotedSize(argPtr(i), argLen(i));
  const m = alloc(size);
  if (m == 0) return;
  let at = m;
  store<u8>(at++, 0x2B);
  const sec = Math.floor(nowMs / 1000);
  let usec = <i32>Math.floor((nowMs - sec * 1000) * 1000);
  if (usec > 999999) usec = 999999;
  if (usec < 0) usec = 0;
  at += <usize>formatI64(at, <i64>sec);
  store<u8>(at++, 0x2E);
  putPadded(at, <u32>usec, 6);
  at += 6;
  store<u8>(at++, 0x20);
  store<u8>(at++, 0x5B);
  at += <usize>formatI64(at, <i64>db);
  store<u8>(at++, 0x20);
  if (addrLen != 0) memory.copy(at, addr, addrLen);
  at += addrLen;
  store<u8>(at++, 0x5D);
  for (let i = 0; i < argc; i++) at += putQuoted(at, argPtr(i), argLen(i));
  store<u16>(at, 0x0A0D);
  at += 2;
  monitorDeliver(m, at - m);
  free(m);
}

/** Send the ready-made MONITOR line [p, p+len) to every MONITOR connection (host commands). */
export function monitorDeliver(p: usize, len: usize): void {
  const l = <usize>load<u32>(st() + PS_MONITORS);
  if (l == 0) return;
  const cnt = <i32>load<u32>(l + L_COUNT);
  for (let i = 0; i < cnt; i++) deliver(<usize>load<u32>(l + L_ITEMS + (<usize>i << 2)), p, len, false);
}

// ─── commands ───────────────────────────────────────────────────────────────────────────────

/** PUBLISH channel message */
export function publishCommand(): void {
  W.writeInt(publishMessage(argPtr(1), argLen(1), argPtr(2), argLen(2)));
}

/** SPUBLISH shardchannel message */
export function spublishCommand(): void {
  W.writeInt(publishShardMessage(argPtr(1), argLen(1), argPtr(2), argLen(2)));
}

/** PUBSUB CHANNELS [pattern] / PUBSUB SHARDCHANNELS [pattern] */
export function pubsubChannelsCommand(shard: bool): void {
  if (cmdArgc > 3) {
    W.writeErrorParts("ERR unknown subcommand or wrong number of arguments for '", argPtr(1), argLen(1), "'. Try PUBSUB HELP.");
    return;
  }
  const d = dictOf(shard ? KIND_SHARD : KIND_CHANNEL);
  const hasPat = cmdArgc > 2;
  const pat = hasPat ? argPtr(2) : 0, patLen = hasPat ? argLen(2) : 0;
  let count: i64 = 0;
  for (let n = dictFirst(d); n != 0; n = dictNext(d, n)) {
    if (!hasPat || globMatch(pat, patLen, nodeKey(n), nodeKeyLen(n), false)) count++;
  }
  W.writeArrayLen(count);
  for (let n = dictFirst(d); n != 0; n = dictNext(d, n)) {
    if (!hasPat || globMatch(pat, patLen, nodeKey(n), nodeKeyLen(n), false)) W.writeBulk(nodeKey(n), nodeKeyLen(n));
  }
}

/** PUBSUB NUMSUB [channel …] / PUBSUB SHARDNUMSUB [channel …]: a flat array (also in RESP3, as Redis). */
export function pubsubNumsubCommand(shard: bool): void {
  const d = dictOf(shard ? KIND_SHARD : KIND_CHANNEL);
  W.writeArrayLen(<i64>(cmdArgc - 2) * 2);
  for (let i = 2; i < cmdArgc; i++) {
    W.writeBulk(argPtr(i), argLen(i));
    const n = dictFind(d, argPtr(i), argLen(i));
    W.writeInt(n == 0 ? 0 : <i64>load<u32>(<usize>load<u32>(nodeVal(n)) + L_COUNT));
  }
}

/** PUBSUB NUMPAT: distinct patterns with subscribers. */
export function pubsubNumpatCommand(): void {
  W.writeInt(<i64>dictSize(dictOf(KIND_PATTERN)));
}

/** PUBSUB HELP */
export function pubsubHelpCommand(): void {
  W.writeArrayLen(14);
  W.writeSimple("PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  W.writeSimple("CHANNELS [<pattern>]");
  W.writeSimple("    List the channels that have subscribers, optionally only those matching <pattern>.");
  W.writeSimple("NUMPAT");
  W.writeSimple("    Count the distinct patterns that clients are subscribed to.");
  W.writeSimple("NUMSUB [<channel> ...]");
  W.writeSimple("    Count the subscribers of each given channel; clients that only match through a");
  W.writeSimple("    pattern are not counted.");
  W.writeSimple("SHARDCHANNELS [<pattern>]");
  W.writeSimple("    List the shard channels that have subscribers, optionally only those matching <pattern>.");
  W.writeSimple("SHARDNUMSUB [<shardchannel> ...]");
  W.writeSimple("    Count the subscribers of each shard channel.");
  W.writeSimple("HELP");
  W.writeSimple("    Print this help.");
}
