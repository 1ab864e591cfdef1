// Generic key commands: DEL UNLINK EXISTS TYPE KEYS SCAN RENAME RENAMENX COPY MOVE RANDOMKEY
// DBSIZE FLUSHDB FLUSHALL SWAPDB EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME
// PERSIST TOUCH OBJECT. As Redis's db.c and expire.c: type-independent, so they work unchanged
// as more data types arrive (entryFree/entry copy are the only type-aware calls).

import { signalDatabase } from "../blocking";
import { signalFlushedDb, signalSwappedDb } from "../watch";
import {
  lookup, lookupNoTouch, deleteKey, find, keyHash, removeFound, insert, entryNew, entryFree,
  getExpire, setExpire, removeExpire, dbSize, dbFlush, dbSwap, dbAt, dbCount, randomEntry,
  scanStep, scanCount, scanCap, entryKey, entryKeyLen, entryType, entryEnc, entryVal, entryValLen,
  nowMs, lruClock, E_HASH, E_VLEN, E_TYPE, E_ENC, E_FLAGS, E_LFU, E_LRU, F_VOLATILE, T_STRING,
  ENC_INT, ENC_EMBSTR,
} from "../keyspace";
import * as KS from "../keyspace";
import {
  writeOK, writeNull, writeBulk, writeInt, writeError, writeErrorParts, writeArrayLen, writeSimple, writeBulkLiteral,
  writeBulkI64,
} from "../resp/writer";
import {
  argPtr, argLen, argIs, argI64, argI32, argValue, cmdArgc, curDb, curDbIndex, addDirty,
  bytesEqualNoCase, ERR_SYNTAX, ERR_NO_SUCH_KEY, ERR_SAME_OBJECT, ERR_DB_RANGE, ERR_OOM,
  writeExpireTimeError,
} from "./args";
import { globMatch } from "../util/glob";
import { alloc, free, realloc } from "../alloc";
import { notifyKeyspaceEvent, NOTIFY_GENERIC, NOTIFY_KEY_MISS } from "../notify";
import { signalModifiedKey } from "../watch";
import { parseI64, parsedI64 } from "../util/number";
import { configMaxmemoryPolicyLfu } from "../config";
import { HASH_DICT } from "../ds/hash";
import { SET_DICT } from "../ds/set";
import { zsetEncoding, ZENC_LISTPACK } from "../ds/zset";

/** DEL key [key ...] (and UNLINK: values are freed at once either way) */
export function delCommand(): void {
  let n: i64 = 0;
  for (let i = 1; i < cmdArgc; i++) {
    if (!deleteKey(curDb, argPtr(i), argLen(i))) continue;
    signalModifiedKey(curDb, argPtr(i), argLen(i));
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", argPtr(i), argLen(i), curDb);
    n++;
  }
  addDirty(<u64>n);
  writeInt(n);
}

/** EXISTS key [key ...] */
export function existsCommand(): void {
  let n: i64 = 0;
  for (let i = 1; i < cmdArgc; i++) if (KS.lookupReadNoTouch(curDb, argPtr(i), argLen(i)) != 0) n++;
  writeInt(n);
}

/** TOUCH key [key ...] */
export function touchCommand(): void {
  let n: i64 = 0;
  for (let i = 1; i < cmdArgc; i++) if (KS.lookupRead(curDb, argPtr(i), argLen(i)) != 0) n++;
  writeInt(n);
}

/** Redis's name for a value type (TYPE, SCAN TYPE). */
function writeTypeName(e: usize): void {
  if (e == 0) { writeSimple("none"); return; }
  switch (entryType(e)) {
    case T_STRING: writeSimple("string"); break;
    case KS.T_LIST: writeSimple("list"); break;
    case KS.T_HASH: writeSimple("hash"); break;
    case KS.T_SET: writeSimple("set"); break;
    case KS.T_ZSET: writeSimple("zset"); break;
    default: writeSimple("none");
  }
}

function typeNameMatches(e: usize, p: usize, len: usize): bool {
  // the names Redis's getObjectTypeName returns, compared case-insensitively
  const t = entryType(e);
  if (t == T_STRING) return bytesEqualNoCase(p, len, "string");
  if (t == KS.T_LIST) return bytesEqualNoCase(p, len, "list");
  if (t == KS.T_HASH) return bytesEqualNoCase(p, len, "hash");
  if (t == KS.T_SET) return bytesEqualNoCase(p, len, "set");
  if (t == KS.T_ZSET) return bytesEqualNoCase(p, len, "zset");
  return false;
}

/** TYPE key */
export function typeCommand(): void {
  writeTypeName(KS.lookupReadNoTouch(curDb, argPtr(1), argLen(1)));
}

function isExpired(e: usize): bool {
  return (load<u8>(e + E_FLAGS) & F_VOLATILE) != 0 && getExpire(curDb, e) <= nowMs;
}

/** KEYS pattern */
export function keysCommand(): void {
  const pat = argPtr(1), plen = argLen(1);
  const all = plen == 1 && load<u8>(pat) == 0x2A;
  // two passes over the tables: count, then write (no temporary list)
  let matches: i64 = 0;
  for (let pass = 0; pass < 2; pass++) {
    if (pass == 1) writeArrayLen(matches);
    let cursor: u32 = 0;
    do {
      KS.scanReset(scratchList, scratchCap);
      cursor = scanCollect(cursor);
      for (let i: u32 = 0; i < scanCount; i++) {
        const e = <usize>load<u32>(scratchList + (<usize>i << 2));
        if (isExpired(e)) continue;
        if (!all && !globMatch(pat, plen, entryKey(e), entryKeyLen(e), false)) continue;
        if (pass == 0) matches++;
        else writeBulk(entryKey(e), entryKeyLen(e));
      }
    } while (cursor != 0);
  }
}

/** Per-instance list of entry pointers for one scan step (grows when a bucket is long). */
let scratchList: usize = 0;
let scratchCap: u32 = 0;

function ensureScratchList(n: u32): void {
  if (n <= scratchCap) return;
  const p = realloc(scratchList, <usize>n << 2);
  if (p == 0) return;
  scratchList = p;
  scratchCap = n;
}

/**
 * One scan step from `cursor`, appending the visited entries to scratchList (grown so that no
 * entry of a long bucket chain is dropped). Returns the next cursor.
 */
function scanCollect(cursor: u32): u32 {
  if (scratchCap < 64) { ensureScratchList(256); KS.scanSetCount(scanCount, scratchList, scratchCap); }
  const before = scanCount;
  let next = scanStep(curDb, cursor);
  while (scanCount > scanCap) {
    ensureScratchList(scanCount * 2 + 64);
    KS.scanSetCount(before, scratchList, scratchCap);
    next = scanStep(curDb, cursor);
  }
  return next;
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
export function scanCommand(): void {
  // cursor: parsed like strtoul() as Redis does (optional sign, "" is 0, "-1" wraps around);
  // our tables only use the low 32 bits of it
  const cp = argPtr(1), cl = argLen(1);
  let cursor: u64 = 0;
  if (cl > 0) {
    let i: usize = 0;
    let neg = false;
    const c0 = load<u8>(cp);
    if (c0 == 0x2D || c0 == 0x2B) { neg = c0 == 0x2D; i = 1; }
    if (i == cl) { writeError("ERR invalid cursor"); return; }
    for (; i < cl; i++) {
      const d = <u32>load<u8>(cp + i) - 0x30;
      if (d > 9) { writeError("ERR invalid cursor"); return; }
      if (cursor > 1844674407370955161 || (cursor == 1844674407370955161 && d > 5)) { writeError("ERR invalid cursor"); return; }
      cursor = cursor * 10 + d;
    }
    if (neg) cursor = 0 - cursor;
  }
  let count: i64 = 10;
  let pat: usize = 0, plen: usize = 0, usePattern = false;
  let typ: usize = 0, tlen: usize = 0, useType = false;
  let i = 2;
  while (i < cmdArgc) {
    const left = cmdArgc - i;
    if (argIs(i, "count") && left >= 2) {
      if (!argI64(i + 1)) return;
      count = argValue;
      if (count < 1) { writeError(ERR_SYNTAX); return; }
      i += 2;
    } else if (argIs(i, "match") && left >= 2) {
      pat = argPtr(i + 1); plen = argLen(i + 1);
      usePattern = !(plen == 1 && load<u8>(pat) == 0x2A);
      i += 2;
    } else if (argIs(i, "type") && left >= 2) {
      typ = argPtr(i + 1); tlen = argLen(i + 1); useType = true;
      i += 2;
    } else {
      writeError(ERR_SYNTAX);
      return;
    }
  }
  let cur = <u32>cursor;
  let maxIter: i64 = count * 10;
  KS.scanReset(scratchList, scratchCap);
  do {
    cur = scanCollect(cur);
  } while (cur != 0 && maxIter-- > 0 && <i64>scanCount < count);
  // filter, then reply: [cursor, [keys...]]. Expired keys are deleted, as Redis's SCAN does, but
  // only after the reply is written (the reply reads key bytes from the entries).
  // Redis 7.0 looks a key up for the TYPE filter first (deleting it if expired, which makes its
  // type "none") and checks expiry afterwards (finding nothing left to expire): so TYPE none
  // returns keys that just expired. The same happens here.
  const n = scanCount;
  ensureScratchList(n * 2 + 1); // expired entries are parked after the n collected ones
  const canPark = scratchCap >= n * 2 + 1; // if memory ran out, leave them to lazy/active expiry
  let out: u32 = 0;
  let doomed: u32 = 0;
  for (let j: u32 = 0; j < n; j++) {
    const e = <usize>load<u32>(scratchList + (<usize>j << 2));
    const expired = isExpired(e);
    let keep = true;
    if (usePattern && !globMatch(pat, plen, entryKey(e), entryKeyLen(e), false)) keep = false;
    // Redis only expires keys that passed the pattern (a filtered-out key is not looked at)
    const doom = expired && keep;
    if (keep && useType) {
      keep = expired ? bytesEqualNoCase(typ, tlen, "none") : typeNameMatches(e, typ, tlen);
    } else if (keep && expired) keep = false;
    if (doom && canPark) { store<u32>(scratchList + (<usize>(n + doomed) << 2), <u32>e); doomed++; }
    if (keep) { store<u32>(scratchList + (<usize>out << 2), <u32>e); out++; }
  }
  writeArrayLen(2);
  writeBulkI64(<i64>cur);
  writeArrayLen(out);
  for (let j: u32 = 0; j < out; j++) {
    const e = <usize>load<u32>(scratchList + (<usize>j << 2));
    writeBulk(entryKey(e), entryKeyLen(e));
  }
  for (let j: u32 = 0; j < doomed; j++) {
    const e = <usize>load<u32>(scratchList + (<usize>(n + j) << 2));
    if (find(curDb, entryKey(e), entryKeyLen(e), load<u32>(e + E_HASH)) != e) continue;
    if (!useType) { KS.expireFound(curDb, e); continue; }
    // the TYPE filter's read lookup expired it: "expired", then "keymiss" for the key
    const kl = entryKeyLen(e);
    const kc = alloc(kl > 0 ? kl : 1);
    if (kc != 0) memory.copy(kc, entryKey(e), kl);
    KS.expireFound(curDb, e);
    if (kc != 0) { notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", kc, kl, curDb); free(kc); }
  }
}

// RENAME, COPY, MOVE, EXPIRE* and PERSIST look keys up as Redis's lookupKeyWrite does: that
// counts as an access (LRU clock / LFU counter), unlike TTL, TYPE, EXISTS and OBJECT.

/**
 * Copy entry e under key [k, klen): RENAME moves the value (`transfer`: e's structure now belongs
 * to the copy and e no longer owns it), COPY duplicates it. Returns 0 on exhaustion.
 */
function entryCopyWithKey(e: usize, k: usize, klen: usize, transfer: bool): usize {
  const vlen = entryValLen(e);
  const ne = entryNew(k, klen, keyHash(k, klen), vlen);
  if (ne == 0) return 0;
  if (entryType(e) == T_STRING) memory.copy(entryVal(ne), entryVal(e), vlen);
  else if (transfer) {
    store<u32>(entryVal(ne), load<u32>(entryVal(e)));
  } else {
    const obj = KS.valueCopy(e);
    if (obj == 0) { free(ne); return 0; }
    store<u32>(entryVal(ne), <u32>obj);
  }
  store<u32>(ne + E_VLEN, <u32>vlen);
  store<u8>(ne + E_TYPE, entryType(e));
  store<u8>(ne + E_ENC, entryEnc(e));
  store<u8>(ne + E_LFU, load<u8>(e + E_LFU));
  store<u32>(ne + E_LRU, load<u32>(e + E_LRU));
  store<u8>(ne + E_FLAGS, load<u8>(e + E_FLAGS) & KS.F_SHARED_INT);
  return ne;
}

/** RENAME / RENAMENX body. */
function renameGeneric(nx: bool): void {
  const sk = argPtr(1), sl = argLen(1), dk = argPtr(2), dl = argLen(2);
  const same = sl == dl && memory.compare(sk, dk, sl) == 0;
  const e = lookup(curDb, sk, sl);
  if (e == 0) { writeError(ERR_NO_SUCH_KEY); return; }
  if (same) { if (nx) writeInt(0); else writeOK(); return; }
  const expire = getExpire(curDb, e);
  if (lookup(curDb, dk, dl) != 0) {
    if (nx) { writeInt(0); return; }
    deleteKey(curDb, dk, dl);
  }
  // find again: the delete may have moved things
  const src = find(curDb, sk, sl, keyHash(sk, sl));
  const ne = entryCopyWithKey(src, dk, dl, true);
  if (ne == 0) { writeError(ERR_OOM); return; }
  insert(curDb, ne);
  if (expire != -1) setExpire(curDb, ne, expire);
  if (find(curDb, sk, sl, keyHash(sk, sl)) == src) {
    store<u8>(src + E_TYPE, T_STRING); // its structure now belongs to the new entry
    removeFound(curDb, src);
  }
  signalModifiedKey(curDb, sk, sl);
  signalModifiedKey(curDb, dk, dl);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_from", sk, sl, curDb);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_to", dk, dl, curDb);
  addDirty(1);
  if (nx) writeInt(1); else writeOK();
}

/** RENAME key newkey */
export function renameCommand(): void { renameGeneric(false); }
/** RENAMENX key newkey */
export function renamenxCommand(): void { renameGeneric(true); }

/** COPY source destination [DB destination-db] [REPLACE] */
export function copyCommand(): void {
  let dstIndex = curDbIndex;
  let replace = false;
  for (let j = 3; j < cmdArgc; j++) {
    const additional = cmdArgc - j - 1;
    if (argIs(j, "replace")) replace = true;
    else if (argIs(j, "db") && additional > 0) {
      if (!argI64(j + 1)) return;
      if (argValue < 0 || argValue >= <i64>dbCount() || argValue > 2147483647) { writeError(ERR_DB_RANGE); return; }
      dstIndex = <i32>argValue;
      j++;
    } else { writeError(ERR_SYNTAX); return; }
  }
  const sk = argPtr(1), sl = argLen(1), dk = argPtr(2), dl = argLen(2);
  if (dstIndex == curDbIndex && sl == dl && memory.compare(sk, dk, sl) == 0) { writeError(ERR_SAME_OBJECT); return; }
  const dst = dbAt(dstIndex);
  // the source is read as Redis's lookupKeyRead (a miss counts, and raises "keymiss")
  const e = KS.lookupRead(curDb, sk, sl);
  if (e == 0) { writeInt(0); return; }
  const expire = getExpire(curDb, e);
  if (lookup(dst, dk, dl) != 0) {
    if (!replace) { writeInt(0); return; }
    deleteKey(dst, dk, dl);
  }
  const src = find(curDb, sk, sl, keyHash(sk, sl));
  const ne = entryCopyWithKey(src, dk, dl, false);
  if (ne == 0) { writeError(ERR_OOM); return; }
  store<u8>(ne + E_FLAGS, load<u8>(ne + E_FLAGS) & ~KS.F_SHARED_INT); // COPY makes a private object
  insert(dst, ne);
  if (expire != -1) setExpire(dst, ne, expire);
  signalModifiedKey(dst, dk, dl);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "copy_to", dk, dl, dst);
  addDirty(1);
  writeInt(1);
}

/** MOVE key db */
export function moveCommand(): void {
  if (!argI32(2)) return;
  const dstIndex = <i32>argValue;
  if (dstIndex < 0 || dstIndex >= dbCount()) { writeError(ERR_DB_RANGE); return; }
  if (dstIndex == curDbIndex) { writeError(ERR_SAME_OBJECT); return; }
  const k = argPtr(1), kl = argLen(1);
  const dst = dbAt(dstIndex);
  const e = lookup(curDb, k, kl);
  if (e == 0) { writeInt(0); return; }
  const expire = getExpire(curDb, e);
  if (lookup(dst, k, kl) != 0) { writeInt(0); return; }
  const src = find(curDb, k, kl, keyHash(k, kl));
  KS.detachFound(curDb, src);
  insert(dst, src);
  if (expire != -1) setExpire(dst, src, expire);
  signalModifiedKey(curDb, k, kl);
  signalModifiedKey(dst, k, kl);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "move_from", k, kl, curDb);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "move_to", k, kl, dst);
  addDirty(1);
  writeInt(1);
}

/** RANDOMKEY */
export function randomkeyCommand(): void {
  const e = randomEntry(curDb);
  if (e == 0) { writeNull(); return; }
  writeBulk(entryKey(e), entryKeyLen(e));
}

/** DBSIZE */
export function dbsizeCommand(): void { writeInt(<i64>dbSize(curDb)); }

/** FLUSHDB / FLUSHALL [ASYNC|SYNC]: returns false (after replying) on a syntax error. */
function flushArgsOk(): bool {
  if (cmdArgc > 2) { writeError(ERR_SYNTAX); return false; }
  if (cmdArgc == 2 && !argIs(1, "sync") && !argIs(1, "async")) { writeError(ERR_SYNTAX); return false; }
  return true;
}

/** FLUSHDB [ASYNC|SYNC] */
export function flushdbCommand(): void {
  if (!flushArgsOk()) return;
  addDirty(<u64>dbSize(curDb));
  signalFlushedDb(curDbIndex);
  dbFlush(curDb);
  writeOK();
}

/** FLUSHALL [ASYNC|SYNC] */
export function flushallCommand(): void {
  if (!flushArgsOk()) return;
  const n = dbCount();
  signalFlushedDb(-1);
  for (let i = 0; i < n; i++) { addDirty(<u64>dbSize(dbAt(i))); dbFlush(dbAt(i)); }
  addDirty(1);
  writeOK();
}

/** SWAPDB index1 index2 */
export function swapdbCommand(): void {
  if (!parseI64(argPtr(1), argLen(1)) || parsedI64 < -2147483648 || parsedI64 > 2147483647) { writeError("ERR invalid first DB index"); return; }
  const a = parsedI64;
  if (!parseI64(argPtr(2), argLen(2)) || parsedI64 < -2147483648 || parsedI64 > 2147483647) { writeError("ERR invalid second DB index"); return; }
  const b = parsedI64;
  const n = <i64>dbCount();
  if (a < 0 || a >= n || b < 0 || b >= n) { writeError(ERR_DB_RANGE); return; }
  if (a != b) {
    signalSwappedDb(<i32>a, <i32>b);
    dbSwap(dbAt(<i32>a), dbAt(<i32>b));
    // clients blocked in either database may find their keys now
    signalDatabase(dbAt(<i32>a));
    signalDatabase(dbAt(<i32>b));
    addDirty(1);
  }
  writeOK();
}

// ─── expiry ─────────────────────────────────────────────────────────────────────────────────

const EXP_NX: u32 = 1, EXP_XX: u32 = 2, EXP_GT: u32 = 4, EXP_LT: u32 = 8;

/** EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT body: basetime 0 for the absolute forms. */
function expireGeneric(basetime: i64, seconds: bool, name: string): void {
  let flags: u32 = 0;
  for (let j = 3; j < cmdArgc; j++) {
    if (argIs(j, "nx")) flags |= EXP_NX;
    else if (argIs(j, "xx")) flags |= EXP_XX;
    else if (argIs(j, "gt")) flags |= EXP_GT;
    else if (argIs(j, "lt")) flags |= EXP_LT;
    else { writeErrorParts("ERR Unsupported option ", argPtr(j), argLen(j), ""); return; }
  }
  if ((flags & EXP_NX) && (flags & (EXP_XX | EXP_GT | EXP_LT))) {
    writeError("ERR NX and XX, GT or LT options at the same time are not compatible"); return;
  }
  if ((flags & EXP_GT) && (flags & EXP_LT)) { writeError("ERR GT and LT options at the same time are not compatible"); return; }
  if (!argI64(2)) return;
  let when = argValue;
  if (seconds) {
    if (when > 9223372036854775807 / 1000 || when < (-9223372036854775807 - 1) / 1000) { writeExpireTimeError(name); return; }
    when *= 1000;
  }
  if (when > 9223372036854775807 - basetime) { writeExpireTimeError(name); return; }
  when += basetime;
  const e = lookup(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeInt(0); return; }
  if (flags != 0) {
    const current = getExpire(curDb, e);
    if ((flags & EXP_NX) && current != -1) { writeInt(0); return; }
    if ((flags & EXP_XX) && current == -1) { writeInt(0); return; }
    if ((flags & EXP_GT) && (when <= current || current == -1)) { writeInt(0); return; }
    if ((flags & EXP_LT) && current != -1 && when >= current) { writeInt(0); return; }
  }
  if (when <= nowMs) {
    deleteKey(curDb, argPtr(1), argLen(1));
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", argPtr(1), argLen(1), curDb);
  } else {
    if (!setExpire(curDb, e, when)) { writeError(ERR_OOM); return; }
    // Redis replies before it publishes "expire" (a subscribed RESP3 client sees that order)
    addDirty(1);
    writeInt(1);
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", argPtr(1), argLen(1), curDb);
    return;
  }
  addDirty(1);
  writeInt(1);
}

/** EXPIRE key seconds [NX|XX|GT|LT] */
export function expireCommand(): void { expireGeneric(nowMs, true, "expire"); }
/** PEXPIRE key milliseconds [NX|XX|GT|LT] */
export function pexpireCommand(): void { expireGeneric(nowMs, false, "pexpire"); }
/** EXPIREAT key unix-time-seconds [NX|XX|GT|LT] */
export function expireatCommand(): void { expireGeneric(0, true, "expireat"); }
/** PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT] */
export function pexpireatCommand(): void { expireGeneric(0, false, "pexpireat"); }

/** TTL-family body: milliseconds or seconds, relative or absolute. */
function ttlGeneric(ms: bool, absolute: bool): void {
  const e = KS.lookupReadNoTouch(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeInt(-2); return; }
  const expire = getExpire(curDb, e);
  if (expire == -1) { writeInt(-1); return; }
  let ttl = absolute ? expire : expire - nowMs;
  if (ttl < 0) ttl = 0;
  // ttl >= 0 here; unsigned so ttl near 2^63 rounds like Redis's reply instead of wrapping
  writeInt(ms ? ttl : <i64>((<u64>ttl + 500) / 1000));
}

/** TTL key */
export function ttlCommand(): void { ttlGeneric(false, false); }
/** PTTL key */
export function pttlCommand(): void { ttlGeneric(true, false); }
/** EXPIRETIME key */
export function expiretimeCommand(): void { ttlGeneric(false, true); }
/** PEXPIRETIME key */
export function pexpiretimeCommand(): void { ttlGeneric(true, true); }

/** PERSIST key */
export function persistCommand(): void {
  const e = lookup(curDb, argPtr(1), argLen(1));
  if (e != 0 && removeExpire(curDb, e)) {
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", argPtr(1), argLen(1), curDb);
    addDirty(1);
    writeInt(1);
  } else writeInt(0);
}

// ─── OBJECT ─────────────────────────────────────────────────────────────────────────────────

/** OBJECT ENCODING key */
export function objectEncodingCommand(): void {
  const e = KS.lookupReadNoTouch(curDb, argPtr(2), argLen(2), false);
  if (e == 0) { writeNull(); return; }
  if (entryType(e) == KS.T_LIST) { writeBulkLiteral("quicklist"); return; }
  if (entryType(e) == KS.T_HASH) { writeBulkLiteral(entryEnc(e) == HASH_DICT ? "hashtable" : "listpack"); return; }
  if (entryType(e) == KS.T_SET) { writeBulkLiteral(entryEnc(e) == SET_DICT ? "hashtable" : "intset"); return; }
  if (entryType(e) == KS.T_ZSET) { writeBulkLiteral(zsetEncoding(KS.entryObj(e)) == ZENC_LISTPACK ? "listpack" : "skiplist"); return; }
  const enc = entryEnc(e);
  if (enc == ENC_INT) writeBulkLiteral("int");
  else if (enc == ENC_EMBSTR) writeBulkLiteral("embstr");
  else writeBulkLiteral("raw");
}

/** OBJECT REFCOUNT key */
export function objectRefcountCommand(): void {
  const e = KS.lookupReadNoTouch(curDb, argPtr(2), argLen(2), false);
  if (e == 0) { writeNull(); return; }
  // small integers are shared objects in Redis (OBJ_SHARED_INTEGERS) and report INT_MAX
  writeInt(load<u8>(e + E_FLAGS) & KS.F_SHARED_INT ? 2147483647 : 1);
}

/** OBJECT IDLETIME key */
export function objectIdletimeCommand(): void {
  const e = KS.lookupReadNoTouch(curDb, argPtr(2), argLen(2), false);
  if (e == 0) { writeNull(); return; }
  if (configMaxmemoryPolicyLfu()) {
    writeError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
    return;
  }
  const now = lruClock();
  const then = KS.accessTime(e);
  const idle = now >= then ? now - then : now + 0xFFFFFF - then;
  writeInt(<i64>idle);
}

/** OBJECT FREQ key */
export function objectFreqCommand(): void {
  const e = KS.lookupReadNoTouch(curDb, argPtr(2), argLen(2), false);
  if (e == 0) { writeNull(); return; }
  if (!configMaxmemoryPolicyLfu()) {
    writeError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
    return;
  }
  writeInt(<i64>KS.lfuDecayed(e));
}

/** OBJECT HELP */
export function objectHelpCommand(): void {
  writeArrayLen(11);
  writeSimple("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  writeSimple("ENCODING <key>");
  writeSimple("    Name of the internal representation of the value stored at <key>.");
  writeSimple("FREQ <key>");
  writeSimple("    Logarithmic access frequency counter of <key> (LFU policies only).");
  writeSimple("IDLETIME <key>");
  writeSimple("    Seconds since <key> was last read or written (not with LFU policies).");
  writeSimple("REFCOUNT <key>");
  writeSimple("    Number of references held to the value stored at <key>.");
  writeSimple("HELP");
  writeSimple("    Print this help.");
}
