// Hash commands: HSET HSETNX HGET HMSET HMGET HDEL HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL
// HINCRBY HRANDFIELD HSCAN, with Redis 7.0's replies, error texts and order of checks.
// HINCRBYFLOAT runs in the host (long double arithmetic) through hostGetHashField /
// hostSetHashField in index.ts. The hash value itself (pack or dict) is ds/hash.ts.

import { lookup, lookupRead, deleteKey, createObjectKey, entryType, E_ENC, T_HASH, randomU32 } from "../keyspace";
import {
  HASH_PACK, HASH_DICT, hashEnc, hashObj, hashObjNew, hashObjFree, hashLen, hashGet, hashSet, hashDelete,
  hashValPtr, hashValLen,
} from "../ds/hash";
import { dictFirst, dictNext, dictRandom, nodeKey, nodeKeyLen, nodeVal, nodeValLen } from "../ds/dict";
import { packFirst, packNext, packStr, packLen, packCount } from "../ds/listpack";
import { alloc, free } from "../alloc";
import {
  writeOK, writeNull, writeBulk, writeInt, writeError, writeArrayLen, writeMapLen, writeBulkI64, proto, outOverflow,
} from "../resp/writer";
import {
  argPtr, argLen, argIs, argI64, argValue, cmdArgc, curDb, addDirty, ERR_WRONGTYPE, ERR_OOM, ERR_SYNTAX, ERR_NOT_INT,
  writeArityError,
} from "./args";
import { parseI64, parsedI64, formatI64 } from "../util/number";
import { globMatch } from "../util/glob";
import {
  parseScanCursor, scanCursor, parseScanOptions, scanOptCount, scanOptPattern, scanOptPatternLen, scanOptUsePattern,
  writeEmptyScan, collectDictScan, scanNodeCount, scanNodeAt,
} from "./scan-args";
import { scratch } from "./args";
import { notifyKeyspaceEvent, NOTIFY_HASH, NOTIFY_GENERIC } from "../notify";
import { signalModifiedKey } from "../watch";

/** Hash key arg ki was changed by `event` (class h): WATCH signal and keyspace event. */
function hashModified(ki: i32, event: string): void {
  signalModifiedKey(curDb, argPtr(ki), argLen(ki));
  notifyKeyspaceEvent(NOTIFY_HASH, event, argPtr(ki), argLen(ki), curDb);
}

const LONG_MAX: i64 = 9223372036854775807;
const LONG_MIN: i64 = -9223372036854775807 - 1;

/**
 * The hash entry at key arg ki, 0 if missing; -1 (after replying WRONGTYPE) if another type.
 * `read`: a read lookup (keyspace_hits/misses), as Redis's lookupKeyRead.
 */
function hashAt(ki: i32, read: bool = false): isize {
  const e = read ? lookupRead(curDb, argPtr(ki), argLen(ki)) : lookup(curDb, argPtr(ki), argLen(ki));
  if (e == 0) return 0;
  if (entryType(e) != T_HASH) { writeError(ERR_WRONGTYPE); return -1; }
  return <isize>e;
}

/** The hash at key arg ki, created empty when missing; 0 after replying (WRONGTYPE or OOM). */
function hashAtOrCreate(ki: i32): usize {
  const r = hashAt(ki);
  if (r < 0) return 0;
  if (r > 0) return <usize>r;
  const o = hashObjNew();
  if (o == 0) { writeError(ERR_OOM); return 0; }
  const e = createObjectKey(curDb, argPtr(ki), argLen(ki), T_HASH, o);
  if (e == 0) { hashObjFree(o, HASH_PACK); writeError(ERR_OOM); return 0; }
  store<u8>(e + E_ENC, HASH_PACK);
  return e;
}

/** Delete key arg ki if its hash is now empty (Redis never keeps empty hashes). */
function dropIfEmpty(ki: i32, e: usize): void {
  if (hashLen(e) == 0) deleteKey(curDb, argPtr(ki), argLen(ki));
}

/** HSET / HMSET body: `count` replies the number of new fields, else OK. */
function hsetGeneric(count: bool): void {
  if ((cmdArgc & 1) == 1) { writeArityError(count ? "hset" : "hmset"); return; }
  const e = hashAtOrCreate(1);
  if (e == 0) return;
  let created: i64 = 0;
  for (let i = 2; i < cmdArgc; i += 2) {
    const r = hashSet(e, argPtr(i), argLen(i), argPtr(i + 1), argLen(i + 1));
    if (r < 0) { dropIfEmpty(1, e); writeError(ERR_OOM); return; }
    created += r;
  }
  addDirty(<u64>((cmdArgc - 2) >> 1));
  if (count) writeInt(created); else writeOK();
  hashModified(1, "hset"); // after the reply, as Redis
}

/** HSET key field value [field value ...] */
export function hsetCommand(): void { hsetGeneric(true); }
/** HMSET key field value [field value ...] */
export function hmsetCommand(): void { hsetGeneric(false); }

/** HSETNX key field value */
export function hsetnxCommand(): void {
  const e = hashAtOrCreate(1);
  if (e == 0) return;
  if (hashGet(e, argPtr(2), argLen(2))) { writeInt(0); return; }
  if (hashSet(e, argPtr(2), argLen(2), argPtr(3), argLen(3)) < 0) { dropIfEmpty(1, e); writeError(ERR_OOM); return; }
  addDirty(1);
  writeInt(1); // HSETNX replies before its event, HSET after
  hashModified(1, "hset");
}

/** HGET key field */
export function hgetCommand(): void {
  const r = hashAt(1, true);
  if (r < 0) return;
  if (r == 0 || !hashGet(<usize>r, argPtr(2), argLen(2))) { writeNull(); return; }
  writeBulk(hashValPtr, hashValLen);
}

/** HMGET key field [field ...] */
export function hmgetCommand(): void {
  const r = hashAt(1, true);
  if (r < 0) return;
  writeArrayLen(<i64>(cmdArgc - 2));
  for (let i = 2; i < cmdArgc; i++) {
    if (r != 0 && hashGet(<usize>r, argPtr(i), argLen(i))) writeBulk(hashValPtr, hashValLen);
    else writeNull();
  }
}

/** HDEL key field [field ...] */
export function hdelCommand(): void {
  const r = hashAt(1);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const e = <usize>r;
  let deleted: i64 = 0;
  let removed = false;
  for (let i = 2; i < cmdArgc; i++) {
    if (hashDelete(e, argPtr(i), argLen(i))) {
      deleted++;
      if (hashLen(e) == 0) { deleteKey(curDb, argPtr(1), argLen(1)); removed = true; break; }
    }
  }
  if (deleted > 0) {
    hashModified(1, "hdel");
    if (removed) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", argPtr(1), argLen(1), curDb);
  }
  addDirty(<u64>deleted);
  writeInt(deleted);
}

/** HLEN key */
export function hlenCommand(): void {
  const r = hashAt(1, true);
  if (r < 0) return;
  writeInt(r == 0 ? 0 : <i64>hashLen(<usize>r));
}

/** HSTRLEN key field */
export function hstrlenCommand(): void {
  const r = hashAt(1, true);
  if (r < 0) return;
  writeInt(r != 0 && hashGet(<usize>r, argPtr(2), argLen(2)) ? <i64>hashValLen : 0);
}

/** HEXISTS key field */
export function hexistsCommand(): void {
  const r = hashAt(1, true);
  if (r < 0) return;
  writeInt(r != 0 && hashGet(<usize>r, argPtr(2), argLen(2)) ? 1 : 0);
}

const WANT_FIELDS: u32 = 1;
const WANT_VALUES: u32 = 2;

/** HKEYS / HVALS / HGETALL body. */
function hgetallGeneric(want: u32): void {
  const r = hashAt(1, true);
  if (r < 0) return;
  const both = want == (WANT_FIELDS | WANT_VALUES);
  const n: i64 = r == 0 ? 0 : <i64>hashLen(<usize>r);
  if (both) writeMapLen(n); else writeArrayLen(n);
  if (r == 0) return;
  const e = <usize>r;
  const o = hashObj(e);
  if (hashEnc(e) == HASH_DICT) {
    for (let nd = dictFirst(o); nd != 0; nd = dictNext(o, nd)) {
      if (want & WANT_FIELDS) writeBulk(nodeKey(nd), nodeKeyLen(nd));
      if (want & WANT_VALUES) writeBulk(nodeVal(nd), nodeValLen(nd));
    }
    return;
  }
  let it = packFirst(o);
  while (it != 0) {
    const v = packNext(o, it);
    if (want & WANT_FIELDS) writeBulk(packStr(it), packLen(it));
    if (want & WANT_VALUES) writeBulk(packStr(v), packLen(v));
    it = packNext(o, v);
  }
}

/** HKEYS key */
export function hkeysCommand(): void { hgetallGeneric(WANT_FIELDS); }
/** HVALS key */
export function hvalsCommand(): void { hgetallGeneric(WANT_VALUES); }
/** HGETALL key */
export function hgetallCommand(): void { hgetallGeneric(WANT_FIELDS | WANT_VALUES); }

/** HINCRBY key field increment */
export function hincrbyCommand(): void {
  if (!argI64(3)) return;
  const incr = argValue;
  const e = hashAtOrCreate(1);
  if (e == 0) return;
  let value: i64 = 0;
  if (hashGet(e, argPtr(2), argLen(2))) {
    if (!parseI64(hashValPtr, hashValLen)) { writeError("ERR hash value is not an integer"); return; }
    value = parsedI64;
  }
  if ((incr < 0 && value < 0 && incr < LONG_MIN - value) || (incr > 0 && value > 0 && incr > LONG_MAX - value)) {
    writeError("ERR increment or decrement would overflow");
    return;
  }
  value += incr;
  const buf = scratch;
  const n = formatI64(buf, value);
  if (hashSet(e, argPtr(2), argLen(2), buf, n) < 0) { dropIfEmpty(1, e); writeError(ERR_OOM); return; }
  addDirty(1);
  writeInt(value);
  hashModified(1, "hincrby");
}

// ─── HRANDFIELD ─────────────────────────────────────────────────────────────────────────────

/** Write one field (and its value) of a random pick, in the reply shape of `withValues`. */
function writePair(f: usize, flen: usize, v: usize, vlen: usize, withValues: bool): void {
  if (withValues && proto == 3) writeArrayLen(2);
  writeBulk(f, flen);
  if (withValues) writeBulk(v, vlen);
}

/** Write the pair whose field is pack entry `it` (or dict node `it`). */
function writePairAt(e: usize, it: usize, withValues: bool): void {
  if (hashEnc(e) == HASH_DICT) { writePair(nodeKey(it), nodeKeyLen(it), nodeVal(it), nodeValLen(it), withValues); return; }
  const v = packNext(hashObj(e), it);
  writePair(packStr(it), packLen(it), packStr(v), packLen(v), withValues);
}

/** HRANDFIELD key count [WITHVALUES] once the arguments are parsed. */
function hrandfieldWithCount(l: i64, withValues: bool): void {
  const r = hashAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeArrayLen(0); return; }
  const e = <usize>r;
  const size = <u64>hashLen(e);
  const uniq = l >= 0;
  const count: u64 = uniq ? <u64>l : <u64>(-l);
  if (count == 0) { writeArrayLen(0); return; }
  const o = hashObj(e);
  if (!uniq || count == 1) {
    // picks with repetition, in random order; a pack's field addresses are indexed once
    let index: usize = 0;
    const pairs = <u32>size;
    if (hashEnc(e) == HASH_PACK) {
      index = alloc(<usize>pairs << 2);
      if (index == 0) { writeError(ERR_OOM); return; }
      let it = packFirst(o);
      for (let i: u32 = 0; i < pairs; i++) { store<u32>(index + (<usize>i << 2), <u32>it); it = packNext(o, packNext(o, it)); }
    }
    writeArrayLen(withValues && proto == 2 ? <i64>(count * 2) : <i64>count);
    for (let i: u64 = 0; i < count && !outOverflow; i++) {
      const it = index != 0 ? <usize>load<u32>(index + (<usize>(randomU32() % pairs) << 2)) : dictRandom(o);
      writePairAt(e, it, withValues);
    }
    if (index != 0) free(index);
    return;
  }
  const replySize = count < size ? count : size;
  writeArrayLen(withValues && proto == 2 ? <i64>(replySize * 2) : <i64>replySize);
  // distinct picks: every field when count covers the hash, else a uniform sample chosen in one
  // pass (selection sampling), in the hash's order
  let needed = <u32>replySize;
  let remaining = <u32>size;
  const dict = hashEnc(e) == HASH_DICT;
  let it = dict ? dictFirst(o) : packFirst(o);
  while (it != 0 && needed > 0) {
    if (randomU32() % remaining < needed) { writePairAt(e, it, withValues); needed--; }
    remaining--;
    it = dict ? dictNext(o, it) : packNext(o, packNext(o, it));
  }
}

/** HRANDFIELD key [count [WITHVALUES]] */
export function hrandfieldCommand(): void {
  if (cmdArgc >= 3) {
    if (!parseI64(argPtr(2), argLen(2))) { writeError(ERR_NOT_INT); return; }
    const l = parsedI64;
    if (l == LONG_MIN) {
      writeError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
      return;
    }
    if (cmdArgc > 4 || (cmdArgc == 4 && !argIs(3, "withvalues"))) { writeError(ERR_SYNTAX); return; }
    const withValues = cmdArgc == 4;
    if (withValues && (l < -(LONG_MAX / 2) || l > LONG_MAX / 2)) { writeError("ERR value is out of range"); return; }
    hrandfieldWithCount(l, withValues);
    return;
  }
  const r = hashAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeNull(); return; }
  const e = <usize>r;
  const o = hashObj(e);
  if (hashEnc(e) == HASH_DICT) {
    const n = dictRandom(o);
    writeBulk(nodeKey(n), nodeKeyLen(n));
    return;
  }
  let it = packFirst(o);
  for (let i = randomU32() % (packCount(o) >> 1); i > 0; i--) it = packNext(o, packNext(o, it));
  writeBulk(packStr(it), packLen(it));
}

// ─── HSCAN ──────────────────────────────────────────────────────────────────────────────────

function fieldMatches(f: usize, flen: usize): bool {
  return !scanOptUsePattern || globMatch(scanOptPattern, scanOptPatternLen, f, flen, false);
}

/** HSCAN key cursor [MATCH pattern] [COUNT count] */
export function hscanCommand(): void {
  if (!parseScanCursor(2)) return;
  const r = hashAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeEmptyScan(); return; }
  if (!parseScanOptions(3)) return;
  const e = <usize>r;
  const o = hashObj(e);
  if (hashEnc(e) == HASH_PACK) {
    // a packed hash is returned whole, with cursor 0, as Redis does for listpacks
    let matches: i64 = 0;
    for (let it = packFirst(o); it != 0; it = packNext(o, packNext(o, it))) if (fieldMatches(packStr(it), packLen(it))) matches++;
    writeArrayLen(2);
    writeBulkI64(0);
    writeArrayLen(matches * 2);
    for (let it = packFirst(o); it != 0; it = packNext(o, packNext(o, it))) {
      if (!fieldMatches(packStr(it), packLen(it))) continue;
      const v = packNext(o, it);
      writeBulk(packStr(it), packLen(it));
      writeBulk(packStr(v), packLen(v));
    }
    return;
  }
  const next = collectDictScan(o, <u32>scanCursor, scanOptCount);
  if (next < 0) { writeError(ERR_OOM); return; }
  let matches: i64 = 0;
  for (let i: u32 = 0; i < scanNodeCount; i++) {
    const n = scanNodeAt(i);
    if (fieldMatches(nodeKey(n), nodeKeyLen(n))) matches++;
  }
  writeArrayLen(2);
  writeBulkI64(next);
  writeArrayLen(matches * 2);
  for (let i: u32 = 0; i < scanNodeCount; i++) {
    const n = scanNodeAt(i);
    if (!fieldMatches(nodeKey(n), nodeKeyLen(n))) continue;
    writeBulk(nodeKey(n), nodeKeyLen(n));
    writeBulk(nodeVal(n), nodeValLen(n));
  }
}

// ─── host access for HINCRBYFLOAT ───────────────────────────────────────────────────────────

/**
 * Read field [f, flen) of the hash at key [k, klen) of db with a write lookup: 1 = found (value
 * in hashValPtr/hashValLen), 0 = key or field missing, -1 = the key holds another type.
 */
export function hashFieldForHost(db: usize, k: usize, klen: usize, f: usize, flen: usize): i32 {
  const e = lookup(db, k, klen);
  if (e == 0) return 0;
  if (entryType(e) != T_HASH) return -1;
  return hashGet(e, f, flen) ? 1 : 0;
}

/** Set field [f, flen) of the hash at key [k, klen) of db (created when missing); false on OOM. */
export function setHashFieldForHost(db: usize, k: usize, klen: usize, f: usize, flen: usize, v: usize, vlen: usize): bool {
  let e = lookup(db, k, klen);
  if (e != 0 && entryType(e) != T_HASH) return false;
  if (e == 0) {
    const o = hashObjNew();
    if (o == 0) return false;
    e = createObjectKey(db, k, klen, T_HASH, o);
    if (e == 0) { hashObjFree(o, HASH_PACK); return false; }
    store<u8>(e + E_ENC, HASH_PACK);
  }
  if (hashSet(e, f, flen, v, vlen) < 0) {
    if (hashLen(e) == 0) deleteKey(db, k, klen);
    return false;
  }
  return true;
}
