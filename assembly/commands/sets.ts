// Set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER
// SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN, with Redis 7.0's replies,
// error texts and order of checks. The set value itself (intset or dict) is ds/set.ts.
//
// Results of SINTERSTORE / SUNION / SDIFF … are built in a set entry of their own (made with
// entryNew, not yet in the keyspace), exactly as Redis builds a new set object: it starts as an
// intset and converts as members arrive, so the result's encoding is the one Redis would give.
// The *STORE commands then put that entry in place of the destination.

import {
  lookup, lookupRead, deleteKey, createObjectKey, entryNew, entryFree, entryType, entryVal, insert,
  keyHash, E_ENC, E_TYPE, E_VLEN, E_LFU, E_LRU, T_SET,
} from "../keyspace";
import {
  SET_INTSET, setEnc, setObj, setObjNewFor, newSetEnc, setObjFree, setSize, setIsMember,
  setAdd, setRemove, setFirst, setNext, setMember, memberPtr, memberLen, setRandom, setRemoveAt,
} from "../ds/set";
import { intsetNew } from "../ds/intset";
import { notifyKeyspaceEvent, NOTIFY_SET, NOTIFY_GENERIC } from "../notify";
import { signalModifiedKey } from "../watch";
import { muteKeySignals } from "../blocking";
import { alloc, free } from "../alloc";
import {
  writeInt, writeError, writeBulk, writeNull, writeArrayLen, writeSetLen, writeBulkI64, outOverflow,
} from "../resp/writer";
import {
  argPtr, argLen, argIs, cmdArgc, curDb, addDirty, ERR_WRONGTYPE, ERR_OOM, ERR_SYNTAX, ERR_NOT_INT,
} from "./args";
import { parseI64, parsedI64 } from "../util/number";
import { globMatch } from "../util/glob";
import { configMaxmemoryPolicyLfu } from "../config";
import { randomU32 } from "../keyspace";
import {
  parseScanCursor, scanCursor, parseScanOptions, scanOptCount, scanOptPattern, scanOptPatternLen, scanOptUsePattern,
  writeEmptyScan, collectDictScan, scanNodeCount, scanNodeAt,
} from "./scan-args";

const LONG_MIN: i64 = -9223372036854775807 - 1;

/** Set key arg ki was changed by `event` (class s): WATCH signal and keyspace event. */
function setModified(ki: i32, event: string): void {
  signalModifiedKey(curDb, argPtr(ki), argLen(ki));
  notifyKeyspaceEvent(NOTIFY_SET, event, argPtr(ki), argLen(ki), curDb);
}

/** A "del" event (class g) for key arg ki. */
function delEvent(ki: i32): void {
  notifyKeyspaceEvent(NOTIFY_GENERIC, "del", argPtr(ki), argLen(ki), curDb);
}

/**
 * The set entry at key arg ki, 0 if missing; -1 (after replying WRONGTYPE) if another type.
 * `read`: a read lookup (keyspace_hits/misses), as Redis's lookupKeyRead.
 */
function setAt(ki: i32, read: bool = false): isize {
  const e = read ? lookupRead(curDb, argPtr(ki), argLen(ki)) : lookup(curDb, argPtr(ki), argLen(ki));
  if (e == 0) return 0;
  if (entryType(e) != T_SET) { writeError(ERR_WRONGTYPE); return -1; }
  return <isize>e;
}

/** Create key arg ki as an empty set suited to member [p, n); 0 after replying OOM. */
function createSetKey(ki: i32, p: usize, n: usize): usize {
  const o = setObjNewFor(p, n);
  if (o == 0) { writeError(ERR_OOM); return 0; }
  const enc = newSetEnc;
  const e = createObjectKey(curDb, argPtr(ki), argLen(ki), T_SET, o);
  if (e == 0) { setObjFree(o, enc); writeError(ERR_OOM); return 0; }
  store<u8>(e + E_ENC, enc);
  return e;
}

/** Delete key arg ki if its set is now empty (Redis never keeps empty sets). */
function dropIfEmpty(ki: i32, e: usize): void {
  if (setSize(e) == 0) deleteKey(curDb, argPtr(ki), argLen(ki));
}

/** SADD key member [member ...] */
export function saddCommand(): void {
  const r = setAt(1);
  if (r < 0) return;
  let e = <usize>r;
  if (e == 0) {
    e = createSetKey(1, argPtr(2), argLen(2));
    if (e == 0) return;
  }
  let added: i64 = 0;
  for (let i = 2; i < cmdArgc; i++) {
    const a = setAdd(e, argPtr(i), argLen(i));
    if (a < 0) { dropIfEmpty(1, e); writeError(ERR_OOM); return; }
    added += a;
  }
  if (added > 0) setModified(1, "sadd");
  addDirty(<u64>added);
  writeInt(added);
}

/** SREM key member [member ...] */
export function sremCommand(): void {
  const r = setAt(1);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const e = <usize>r;
  let removed: i64 = 0;
  let keyRemoved = false;
  for (let i = 2; i < cmdArgc; i++) {
    if (setRemove(e, argPtr(i), argLen(i))) {
      removed++;
      if (setSize(e) == 0) { deleteKey(curDb, argPtr(1), argLen(1)); keyRemoved = true; break; }
    }
  }
  if (removed > 0) {
    setModified(1, "srem");
    if (keyRemoved) delEvent(1);
  }
  addDirty(<u64>removed);
  writeInt(removed);
}

/** SISMEMBER key member */
export function sismemberCommand(): void {
  const r = setAt(1, true);
  if (r < 0) return;
  writeInt(r != 0 && setIsMember(<usize>r, argPtr(2), argLen(2)) ? 1 : 0);
}

/** SMISMEMBER key member [member ...] */
export function smismemberCommand(): void {
  const r = setAt(1, true);
  if (r < 0) return;
  writeArrayLen(<i64>(cmdArgc - 2));
  for (let i = 2; i < cmdArgc; i++) writeInt(r != 0 && setIsMember(<usize>r, argPtr(i), argLen(i)) ? 1 : 0);
}

/** SCARD key */
export function scardCommand(): void {
  const r = setAt(1, true);
  if (r < 0) return;
  writeInt(r == 0 ? 0 : <i64>setSize(<usize>r));
}

/** Write the member at position `it` of set e. */
function writeMemberAt(e: usize, it: usize): void {
  setMember(e, it);
  writeBulk(memberPtr, memberLen);
}

/** Write every member of e in its order (a set reply's elements). */
function writeMembers(e: usize): void {
  for (let it = setFirst(e); it != 0; it = setNext(e, it)) writeMemberAt(e, it);
}

/**
 * `count` distinct members chosen uniformly in one pass (selection sampling), in the set's order.
 * count < size.
 */
function writeSample(e: usize, count: u32): void {
  let needed = count;
  let remaining = setSize(e);
  for (let it = setFirst(e); it != 0 && needed > 0; it = setNext(e, it)) {
    if (randomU32() % remaining < needed) { writeMemberAt(e, it); needed--; }
    remaining--;
  }
}

// ─── SPOP / SRANDMEMBER ─────────────────────────────────────────────────────────────────────

/** SPOP key [count] */
export function spopCommand(): void {
  if (cmdArgc > 3) { writeError(ERR_SYNTAX); return; }
  if (cmdArgc == 3) { spopWithCount(); return; }
  const r = setAt(1);
  if (r < 0) return;
  if (r == 0) { writeNull(); return; }
  const e = <usize>r;
  const it = setRandom(e);
  // Redis publishes "spop" before it replies with the member, and "del" after
  notifyKeyspaceEvent(NOTIFY_SET, "spop", argPtr(1), argLen(1), curDb);
  writeMemberAt(e, it);
  setRemoveAt(e, it);
  addDirty(1);
  if (setSize(e) == 0) { deleteKey(curDb, argPtr(1), argLen(1)); delEvent(1); }
  signalModifiedKey(curDb, argPtr(1), argLen(1));
}

function spopWithCount(): void {
  if (!parseI64(argPtr(2), argLen(2)) || parsedI64 < 0) { writeError("ERR value is out of range, must be positive"); return; }
  const count = <u64>parsedI64;
  const r = setAt(1);
  if (r < 0) return;
  if (r == 0 || count == 0) { writeSetLen(0); return; }
  const e = <usize>r;
  const size = <u64>setSize(e);
  notifyKeyspaceEvent(NOTIFY_SET, "spop", argPtr(1), argLen(1), curDb);
  if (count >= size) {
    // Redis answers with SUNION of the key (another read lookup, and a fresh set's order), then
    // deletes it
    if (!replyCombined(OP_UNION, 1, 1)) return;
    deleteKey(curDb, argPtr(1), argLen(1));
    delEvent(1);
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    addDirty(size);
    return;
  }
  writeSetLen(<i64>count);
  for (let i: u64 = 0; i < count; i++) {
    const it = setRandom(e);
    writeMemberAt(e, it);
    setRemoveAt(e, it);
  }
  signalModifiedKey(curDb, argPtr(1), argLen(1));
  addDirty(count);
}

/** SRANDMEMBER key [count] */
export function srandmemberCommand(): void {
  if (cmdArgc > 3) { writeError(ERR_SYNTAX); return; }
  if (cmdArgc == 3) { srandmemberWithCount(); return; }
  const r = setAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeNull(); return; }
  writeMemberAt(<usize>r, setRandom(<usize>r));
}

function srandmemberWithCount(): void {
  if (!parseI64(argPtr(2), argLen(2))) { writeError(ERR_NOT_INT); return; }
  const l = parsedI64;
  if (l == LONG_MIN) {
    writeError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
    return;
  }
  const uniq = l >= 0;
  const count: u64 = uniq ? <u64>l : <u64>(-l);
  const r = setAt(1, true);
  if (r < 0) return;
  if (r == 0 || count == 0) { writeArrayLen(0); return; }
  const e = <usize>r;
  const size = <u64>setSize(e);
  if (!uniq || count == 1) {
    writeArrayLen(<i64>count);
    for (let i: u64 = 0; i < count && !outOverflow; i++) writeMemberAt(e, setRandom(e));
    return;
  }
  if (count >= size) {
    writeArrayLen(<i64>size);
    writeMembers(e);
    return;
  }
  writeArrayLen(<i64>count);
  writeSample(e, <u32>count);
}

// ─── SMOVE ──────────────────────────────────────────────────────────────────────────────────

/** SMOVE source destination member */
export function smoveCommand(): void {
  // Redis looks both keys up before checking either type
  const src = lookup(curDb, argPtr(1), argLen(1));
  const d = lookup(curDb, argPtr(2), argLen(2));
  if (src == 0) { writeInt(0); return; }
  if (entryType(src) != T_SET || (d != 0 && entryType(d) != T_SET)) { writeError(ERR_WRONGTYPE); return; }
  const p = argPtr(3), n = argLen(3);
  if (src == d) { writeInt(setIsMember(src, p, n) ? 1 : 0); return; }
  if (!setRemove(src, p, n)) { writeInt(0); return; }
  addDirty(1);
  notifyKeyspaceEvent(NOTIFY_SET, "srem", argPtr(1), argLen(1), curDb);
  if (setSize(src) == 0) { deleteKey(curDb, argPtr(1), argLen(1)); delEvent(1); }
  let dst = d;
  if (dst == 0) {
    dst = createSetKey(2, p, n);
    if (dst == 0) return;
  }
  signalModifiedKey(curDb, argPtr(1), argLen(1));
  const a = setAdd(dst, p, n);
  if (a < 0) { dropIfEmpty(2, dst); writeError(ERR_OOM); return; }
  if (a > 0) { addDirty(1); setModified(2, "sadd"); }
  writeInt(1);
}

// ─── SINTER family ──────────────────────────────────────────────────────────────────────────

/** The set entries of keys [first, first+n) (0 for missing keys), in an alloc'd array. */
let keySets: usize = 0;

/**
 * Look up keys args [first, first+n) (read lookups), all of them, as Redis does; fills keySets.
 * Returns the number of missing keys, or -1 after replying (WRONGTYPE or OOM).
 */
function lookupSets(first: i32, n: i32): i32 {
  keySets = alloc(<usize>n << 2);
  if (keySets == 0) { writeError(ERR_OOM); return -1; }
  let missing = 0;
  for (let j = 0; j < n; j++) {
    const r = setAt(first + j, true);
    if (r < 0) { free(keySets); return -1; }
    if (r == 0) missing++;
    store<u32>(keySets + (<usize>j << 2), <u32>r);
  }
  return missing;
}

// @ts-ignore: decorator
@inline function keySetAt(j: i32): usize { return <usize>load<u32>(keySets + (<usize>j << 2)); }

/** A new set entry for key [k, klen) holding an empty intset, not in the keyspace; 0 on OOM. */
function newResultSet(k: usize, klen: usize): usize {
  const o = intsetNew();
  if (o == 0) return 0;
  const e = entryNew(k, klen, keyHash(k, klen), 4);
  if (e == 0) { setObjFree(o, SET_INTSET); return 0; }
  store<u32>(entryVal(e), <u32>o);
  store<u32>(e + E_VLEN, 4);
  store<u8>(e + E_TYPE, T_SET);
  store<u8>(e + E_ENC, SET_INTSET);
  return e;
}

/**
 * Make result entry `res` the value of key arg ki (replacing whatever is there, TTL included),
 * or delete the key when the result is empty; replies with the result's size.
 */
function storeResult(ki: i32, res: usize, event: string): void {
  const size = setSize(res);
  const k = argPtr(ki), klen = argLen(ki);
  if (size == 0) {
    entryFree(res);
    // here Redis replies first, then deletes (the missing-key shortcut of SINTERSTORE is the other way)
    writeInt(0);
    if (deleteKey(curDb, k, klen)) { addDirty(1); signalModifiedKey(curDb, k, klen); delEvent(ki); }
    return;
  }
  const old = lookup(curDb, k, klen);
  if (old != 0 && configMaxmemoryPolicyLfu()) {
    // an overwritten value keeps its LFU history, as Redis's dbOverwrite does
    store<u8>(res + E_LFU, load<u8>(old + E_LFU));
    store<u32>(res + E_LRU, load<u32>(old + E_LRU));
  }
  if (old != 0) deleteKey(curDb, k, klen);
  // replacing an existing key is an overwrite in Redis (no "new" event)
  muteKeySignals(old != 0);
  insert(curDb, res);
  muteKeySignals(false);
  addDirty(1);
  writeInt(<i64>size);
  setModified(ki, event);
}

/** Sort keySets[0..n) by ascending size, keeping the key order among equal sizes. */
function sortBySize(n: i32): void {
  for (let i = 1; i < n; i++) {
    const s = keySetAt(i);
    const size = setSize(s);
    let j = i - 1;
    while (j >= 0 && setSize(keySetAt(j)) > size) {
      store<u32>(keySets + (<usize>(j + 1) << 2), <u32>keySetAt(j));
      j--;
    }
    store<u32>(keySets + (<usize>(j + 1) << 2), <u32>s);
  }
}

/** Is the member last produced by setMember in every set keySets[1..n)? */
function inAllOthers(n: i32): bool {
  const s0 = keySetAt(0);
  for (let j = 1; j < n; j++) {
    const s = keySetAt(j);
    if (s == s0) continue;
    if (!setIsMember(s, memberPtr, memberLen)) return false;
  }
  return true;
}

const INTER_REPLY: i32 = 0;
const INTER_CARD: i32 = 1;
const INTER_STORE: i32 = 2;

/**
 * SINTER / SMEMBERS / SINTERCARD / SINTERSTORE over keys args [first, first+n). `dst` is the
 * destination key arg (INTER_STORE), `limit` SINTERCARD's LIMIT (0 = none).
 */
function sinterGeneric(first: i32, n: i32, mode: i32, dst: i32, limit: i64): void {
  const missing = lookupSets(first, n);
  if (missing < 0) return;
  if (missing > 0) {
    // the intersection with a missing key (an empty set) is empty
    free(keySets);
    if (mode == INTER_STORE) {
      if (deleteKey(curDb, argPtr(dst), argLen(dst))) { addDirty(1); signalModifiedKey(curDb, argPtr(dst), argLen(dst)); delEvent(dst); }
      writeInt(0);
    }
    else if (mode == INTER_CARD) writeInt(0);
    else writeSetLen(0);
    return;
  }
  sortBySize(n);
  const s0 = keySetAt(0);
  if (mode == INTER_CARD) {
    let card: i64 = 0;
    for (let it = setFirst(s0); it != 0; it = setNext(s0, it)) {
      setMember(s0, it);
      if (!inAllOthers(n)) continue;
      card++;
      if (limit != 0 && card >= limit) break;
    }
    free(keySets);
    writeInt(card);
    return;
  }
  if (mode == INTER_STORE) {
    const res = newResultSet(argPtr(dst), argLen(dst));
    if (res == 0) { free(keySets); writeError(ERR_OOM); return; }
    for (let it = setFirst(s0); it != 0; it = setNext(s0, it)) {
      setMember(s0, it);
      if (!inAllOthers(n)) continue;
      if (setAdd(res, memberPtr, memberLen) < 0) { entryFree(res); free(keySets); writeError(ERR_OOM); return; }
    }
    free(keySets);
    storeResult(dst, res, "sinterstore");
    return;
  }
  // reply in the smallest set's order: collect the matching positions, then write them
  const hits = alloc(<usize>setSize(s0) << 2);
  if (hits == 0) { free(keySets); writeError(ERR_OOM); return; }
  let found: u32 = 0;
  for (let it = setFirst(s0); it != 0; it = setNext(s0, it)) {
    setMember(s0, it);
    if (inAllOthers(n)) { store<u32>(hits + (<usize>found << 2), <u32>it); found++; }
  }
  free(keySets);
  writeSetLen(<i64>found);
  for (let i: u32 = 0; i < found; i++) writeMemberAt(s0, <usize>load<u32>(hits + (<usize>i << 2)));
  free(hits);
}

/** SMEMBERS key (Redis 7.0 runs it as a one-key SINTER) */
export function smembersCommand(): void { sinterGeneric(1, 1, INTER_REPLY, 0, 0); }
/** SINTER key [key ...] */
export function sinterCommand(): void { sinterGeneric(1, cmdArgc - 1, INTER_REPLY, 0, 0); }
/** SINTERSTORE destination key [key ...] */
export function sinterstoreCommand(): void { sinterGeneric(2, cmdArgc - 2, INTER_STORE, 1, 0); }

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
export function sintercardCommand(): void {
  if (!parseI64(argPtr(1), argLen(1)) || parsedI64 < 1) { writeError("ERR numkeys should be greater than 0"); return; }
  const numkeys = parsedI64;
  if (numkeys > <i64>(cmdArgc - 2)) { writeError("ERR Number of keys can't be greater than number of args"); return; }
  let limit: i64 = 0;
  for (let j = 2 + <i32>numkeys; j < cmdArgc; j++) {
    const more = cmdArgc - 1 - j;
    if (argIs(j, "limit") && more > 0) {
      j++;
      if (!parseI64(argPtr(j), argLen(j)) || parsedI64 < 0) { writeError("ERR LIMIT can't be negative"); return; }
      limit = parsedI64;
    } else { writeError(ERR_SYNTAX); return; }
  }
  sinterGeneric(2, <i32>numkeys, INTER_CARD, 0, limit);
}

// ─── SUNION / SDIFF ─────────────────────────────────────────────────────────────────────────

const OP_UNION: i32 = 0;
const OP_DIFF: i32 = 1;

/**
 * Build the union or difference of keys args [first, first+n) into a new result entry (key
 * [k, klen)); 0 after replying (WRONGTYPE or OOM).
 */
function buildCombined(op: i32, first: i32, n: i32, k: usize, klen: usize): usize {
  if (lookupSets(first, n) < 0) return 0;
  const res = newResultSet(k, klen);
  if (res == 0) { free(keySets); writeError(ERR_OOM); return 0; }
  const s0 = keySetAt(0);
  let ok = true;
  if (op == OP_UNION) {
    for (let j = 0; j < n && ok; j++) {
      const s = keySetAt(j);
      if (s == 0) continue;
      for (let it = setFirst(s); it != 0; it = setNext(s, it)) {
        setMember(s, it);
        if (setAdd(res, memberPtr, memberLen) < 0) { ok = false; break; }
      }
    }
  } else if (s0 != 0) {
    // Redis's choice between its two algorithms (the second can leave the result a dict where
    // the first gives an intset, so the choice is observable in OBJECT ENCODING)
    let work1: i64 = 0, work2: i64 = 0;
    for (let j = 0; j < n; j++) {
      const s = keySetAt(j);
      if (s == 0) continue;
      work1 += <i64>setSize(s0);
      work2 += <i64>setSize(s);
    }
    work1 /= 2;
    if (work1 <= work2) {
      // members of the first set found in no other
      for (let it = setFirst(s0); it != 0 && ok; it = setNext(s0, it)) {
        setMember(s0, it);
        let keep = true;
        for (let j = 1; j < n; j++) {
          const s = keySetAt(j);
          if (s == 0) continue;
          if (s == s0 || setIsMember(s, memberPtr, memberLen)) { keep = false; break; }
        }
        if (keep && setAdd(res, memberPtr, memberLen) < 0) ok = false;
      }
    } else {
      // every member of the first set, then remove the others' members
      let card: i64 = 0;
      for (let j = 0; j < n && ok; j++) {
        const s = keySetAt(j);
        if (s == 0) continue;
        for (let it = setFirst(s); it != 0; it = setNext(s, it)) {
          setMember(s, it);
          if (j == 0) {
            const a = setAdd(res, memberPtr, memberLen);
            if (a < 0) { ok = false; break; }
            card += a;
          } else if (setRemove(res, memberPtr, memberLen)) card--;
        }
        if (card == 0) break;
      }
    }
  }
  free(keySets);
  if (!ok) { entryFree(res); writeError(ERR_OOM); return 0; }
  return res;
}

/** Reply with the union/difference of keys args [first, first+n) (a set reply); false after an error. */
function replyCombined(op: i32, first: i32, n: i32): bool {
  const res = buildCombined(op, first, n, 0, 0);
  if (res == 0) return false;
  writeSetLen(<i64>setSize(res));
  writeMembers(res);
  entryFree(res);
  return true;
}

/** SUNION key [key ...] */
export function sunionCommand(): void { replyCombined(OP_UNION, 1, cmdArgc - 1); }
/** SDIFF key [key ...] */
export function sdiffCommand(): void { replyCombined(OP_DIFF, 1, cmdArgc - 1); }

/** SUNIONSTORE / SDIFFSTORE body. */
function combineStore(op: i32): void {
  const res = buildCombined(op, 2, cmdArgc - 2, argPtr(1), argLen(1));
  if (res == 0) return;
  storeResult(1, res, op == OP_UNION ? "sunionstore" : "sdiffstore");
}

/** SUNIONSTORE destination key [key ...] */
export function sunionstoreCommand(): void { combineStore(OP_UNION); }
/** SDIFFSTORE destination key [key ...] */
export function sdiffstoreCommand(): void { combineStore(OP_DIFF); }

// ─── SSCAN ──────────────────────────────────────────────────────────────────────────────────

function memberMatches(p: usize, n: usize): bool {
  return !scanOptUsePattern || globMatch(scanOptPattern, scanOptPatternLen, p, n, false);
}

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
export function sscanCommand(): void {
  if (!parseScanCursor(2)) return;
  const r = setAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeEmptyScan(); return; }
  if (!parseScanOptions(3)) return;
  const e = <usize>r;
  if (setEnc(e) == SET_INTSET) {
    // an intset is returned whole, with cursor 0, as Redis does
    let matches: i64 = 0;
    for (let it = setFirst(e); it != 0; it = setNext(e, it)) { setMember(e, it); if (memberMatches(memberPtr, memberLen)) matches++; }
    writeArrayLen(2);
    writeBulkI64(0);
    writeArrayLen(matches);
    for (let it = setFirst(e); it != 0; it = setNext(e, it)) {
      setMember(e, it);
      if (memberMatches(memberPtr, memberLen)) writeBulk(memberPtr, memberLen);
    }
    return;
  }
  const next = collectDictScan(setObj(e), <u32>scanCursor, scanOptCount);
  if (next < 0) { writeError(ERR_OOM); return; }
  let matches: i64 = 0;
  for (let i: u32 = 0; i < scanNodeCount; i++) {
    setMember(e, scanNodeAt(i));
    if (memberMatches(memberPtr, memberLen)) matches++;
  }
  writeArrayLen(2);
  writeBulkI64(next);
  writeArrayLen(matches);
  for (let i: u32 = 0; i < scanNodeCount; i++) {
    setMember(e, scanNodeAt(i));
    if (memberMatches(memberPtr, memberLen)) writeBulk(memberPtr, memberLen);
  }
}
