// String commands: GET SET SETNX SETEX PSETEX MGET MSET MSETNX GETSET GETDEL GETEX APPEND STRLEN
// GETRANGE SETRANGE SUBSTR INCR DECR INCRBY DECRBY. (INCRBYFLOAT and LCS run in the host:
// src/commands/strings-host.ts.)
//
// One generic function per shape (setGeneric, incrDecr, getrangeGeneric) and a thin wrapper per
// command, as Redis's t_string.c. Replies go through the writer; keyspace changes through
// keyspace.ts.

import {
  lookup, lookupRead, setString, growString, deleteKey, removeFound, setExpire, removeExpire, entryVal,
  entryValLen, entryType, E_ENC, E_VCAP, F_SHARED_INT, E_VLEN, E_FLAGS, T_STRING, ENC_INT,
  ENC_EMBSTR, ENC_RAW, nowMs,
} from "../keyspace";
import { writeOK, writeNull, writeBulk, writeInt, writeError, writeArrayLen } from "../resp/writer";
import {
  argPtr, argLen, argIs, argI64, argValue, cmdArgc, curDb, addDirty, scratch,
  ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, ERR_OOM, writeArityError, writeExpireTimeError,
} from "./args";
import { parseI64, parsedI64, formatI64 } from "../util/number";
import { maxBulkLen } from "../resp/parser";
import { configMaxmemory, configPolicyNoSharedIntegers } from "../config";
import { notifyKeyspaceEvent, NOTIFY_STRING, NOTIFY_GENERIC } from "../notify";
import { signalModifiedKey } from "../watch";

/** Key arg ki was modified by a string command: WATCH signal and the command's event. */
function stringModified(ki: i32, event: string): void {
  signalModifiedKey(curDb, argPtr(ki), argLen(ki));
  notifyKeyspaceEvent(NOTIFY_STRING, event, argPtr(ki), argLen(ki), curDb);
}

/** A generic (class g) event on key arg ki, after the change was signalled. */
function genericEvent(ki: i32, event: string): void {
  notifyKeyspaceEvent(NOTIFY_GENERIC, event, argPtr(ki), argLen(ki), curDb);
}

const EMPTY_BULK_LEN: usize = 0;
const ERR_TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

/** Encoding Redis's tryObjectEncoding would give a string value of these bytes. */
export function stringEncoding(p: usize, len: usize): u8 {
  if (len <= 20 && parseI64(p, len)) return ENC_INT;
  return len <= 44 ? ENC_EMBSTR : ENC_RAW;
}

/**
 * Record e's encoding as Redis's tryObjectEncoding would leave it, including whether the value
 * became one of the shared integers 0..9999 (not under an LRU/LFU maxmemory policy).
 */
export function setStringEncoding(e: usize, enc: u8): void {
  store<u8>(e + E_ENC, enc);
  let flags = load<u8>(e + E_FLAGS) & ~F_SHARED_INT;
  if (enc == ENC_INT && parseI64(entryVal(e), entryValLen(e)) && parsedI64 >= 0 && parsedI64 < 10000 &&
      (configMaxmemory() == 0 || !configPolicyNoSharedIntegers())) flags |= F_SHARED_INT;
  store<u8>(e + E_FLAGS, flags);
}

/** Set key (arg ki) to the value bytes, with Redis's encoding; replies OOM and returns 0 on failure. */
function storeString(ki: i32, v: usize, vlen: usize, keepTtl: bool): usize {
  const e = setString(curDb, argPtr(ki), argLen(ki), v, vlen, keepTtl);
  if (e == 0) { writeError(ERR_OOM); return 0; }
  setStringEncoding(e, stringEncoding(v, vlen));
  addDirty(1);
  return e;
}

/** GET-style read of key arg ki: replies null / WRONGTYPE / the value. Returns false on WRONGTYPE. */
function getGeneric(ki: i32): bool {
  const e = lookupRead(curDb, argPtr(ki), argLen(ki));
  if (e == 0) { writeNull(); return true; }
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return false; }
  writeBulk(entryVal(e), entryValLen(e));
  return true;
}

/** GET key */
export function getCommand(): void { getGeneric(1); }

// flags for setGeneric / the extended argument parser
const SET_NX: u32 = 1;
const SET_XX: u32 = 2;
const SET_GET: u32 = 4;
const SET_KEEPTTL: u32 = 8;
const SET_PERSIST: u32 = 16;
const SET_EX: u32 = 32;
const SET_PX: u32 = 64;
const SET_EXAT: u32 = 128;
const SET_PXAT: u32 = 256;
const SET_ANY_EXPIRE: u32 = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

let parsedFlags: u32 = 0;
let expireArg: i32 = 0;

/** Parse SET/GETEX options from argument `from`; replies syntax error and returns false. */
function parseExtendedArgs(from: i32, isSet: bool): bool {
  let flags: u32 = 0;
  expireArg = 0;
  for (let j = from; j < cmdArgc; j++) {
    const hasNext = j + 1 < cmdArgc;
    if (isSet && argIs(j, "nx") && !(flags & SET_XX)) flags |= SET_NX;
    else if (isSet && argIs(j, "xx") && !(flags & SET_NX)) flags |= SET_XX;
    else if (isSet && argIs(j, "get")) flags |= SET_GET;
    else if (isSet && argIs(j, "keepttl") && !(flags & (SET_PERSIST | SET_ANY_EXPIRE))) flags |= SET_KEEPTTL;
    else if (!isSet && argIs(j, "persist") && !(flags & (SET_ANY_EXPIRE | SET_KEEPTTL))) flags |= SET_PERSIST;
    else if (argIs(j, "ex") && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EXAT | SET_PX | SET_PXAT)) && hasNext) {
      flags |= SET_EX; expireArg = ++j;
    } else if (argIs(j, "px") && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_EXAT | SET_PXAT)) && hasNext) {
      flags |= SET_PX; expireArg = ++j;
    } else if (argIs(j, "exat") && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_PX | SET_PXAT)) && hasNext) {
      flags |= SET_EXAT; expireArg = ++j;
    } else if (argIs(j, "pxat") && !(flags & (SET_KEEPTTL | SET_PERSIST | SET_EX | SET_EXAT | SET_PX)) && hasNext) {
      flags |= SET_PXAT; expireArg = ++j;
    } else {
      writeError(ERR_SYNTAX);
      return false;
    }
  }
  parsedFlags = flags;
  return true;
}

let expireAtMs: i64 = 0;

/**
 * Absolute expire time (ms) from argument ai under `flags`; replies Redis's error and returns
 * false when it is not an integer, not positive, or overflows.
 */
function expireFromArg(ai: i32, flags: u32, name: string): bool {
  if (!argI64(ai)) return false;
  let ms = argValue;
  const seconds = (flags & (SET_EX | SET_EXAT)) != 0;
  if (ms <= 0 || (seconds && ms > 9223372036854775807 / 1000)) { writeExpireTimeError(name); return false; }
  if (seconds) ms *= 1000;
  if (flags & (SET_EX | SET_PX)) ms += nowMs; // wraps on overflow like Redis, caught below
  if (ms <= 0) { writeExpireTimeError(name); return false; }
  expireAtMs = ms;
  return true;
}

/** The common body of SET, SETNX, SETEX, PSETEX. okReply: 0 = +OK, 1 = integer 1/0. */
function setGeneric(flags: u32, ki: i32, vi: i32, expArg: i32, name: string, intReply: bool): void {
  if (expArg != 0 && !expireFromArg(expArg, flags, name)) return;
  if (flags & SET_GET) { if (!getGeneric(ki)) return; }
  const found = lookup(curDb, argPtr(ki), argLen(ki)) != 0;
  if (((flags & SET_NX) && found) || ((flags & SET_XX) && !found)) {
    if (!(flags & SET_GET)) { if (intReply) writeInt(0); else writeNull(); }
    return;
  }
  const e = storeString(ki, argPtr(vi), argLen(vi), (flags & SET_KEEPTTL) != 0);
  if (e == 0) return;
  stringModified(ki, "set");
  if (expArg != 0) { setExpire(curDb, e, expireAtMs); genericEvent(ki, "expire"); }
  if (!(flags & SET_GET)) { if (intReply) writeInt(1); else writeOK(); }
}

/** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ts|KEEPTTL] */
export function setCommand(): void {
  if (cmdArgc == 3) { // fast path: plain SET
    if (storeString(1, argPtr(2), argLen(2), false) != 0) { stringModified(1, "set"); writeOK(); }
    return;
  }
  if (!parseExtendedArgs(3, true)) return;
  setGeneric(parsedFlags, 1, 2, expireArg, "set", false);
}

/** SETNX key value */
export function setnxCommand(): void { setGeneric(SET_NX, 1, 2, 0, "setnx", true); }

/** SETEX key seconds value */
export function setexCommand(): void { setGeneric(SET_EX, 1, 3, 2, "setex", false); }

/** PSETEX key milliseconds value */
export function psetexCommand(): void { setGeneric(SET_PX, 1, 3, 2, "psetex", false); }

/** GETEX key [EX s|PX ms|EXAT ts|PXAT ts|PERSIST] */
export function getexCommand(): void {
  if (!parseExtendedArgs(2, false)) return;
  const flags = parsedFlags;
  const e = lookupRead(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeNull(); return; }
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
  // Redis validates the expire time only once the key is known to be a string
  if (expireArg != 0 && !expireFromArg(expireArg, flags, "getex")) return;
  writeBulk(entryVal(e), entryValLen(e));
  if ((flags & (SET_PXAT | SET_EXAT)) && expireAtMs <= nowMs) {
    deleteKey(curDb, argPtr(1), argLen(1));
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    genericEvent(1, "del");
    addDirty(1);
  } else if (expireArg != 0) {
    setExpire(curDb, e, expireAtMs);
    signalModifiedKey(curDb, argPtr(1), argLen(1));
    genericEvent(1, "expire");
    addDirty(1);
  } else if (flags & SET_PERSIST) {
    if (removeExpire(curDb, e)) {
      signalModifiedKey(curDb, argPtr(1), argLen(1));
      genericEvent(1, "persist");
      addDirty(1);
    }
  }
}

/** GETDEL key */
export function getdelCommand(): void {
  const e = lookupRead(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeNull(); return; }
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
  writeBulk(entryVal(e), entryValLen(e));
  removeFound(curDb, e);
  signalModifiedKey(curDb, argPtr(1), argLen(1));
  genericEvent(1, "del");
  addDirty(1);
}

/** GETSET key value */
export function getsetCommand(): void {
  if (!getGeneric(1)) return;
  if (storeString(1, argPtr(2), argLen(2), false) != 0) stringModified(1, "set");
}

/** MGET key [key ...] */
export function mgetCommand(): void {
  writeArrayLen(cmdArgc - 1);
  for (let i = 1; i < cmdArgc; i++) {
    const e = lookupRead(curDb, argPtr(i), argLen(i));
    if (e == 0 || entryType(e) != T_STRING) writeNull();
    else writeBulk(entryVal(e), entryValLen(e));
  }
}

/** MSET key value [key value ...] */
export function msetCommand(): void {
  if ((cmdArgc & 1) == 0) { writeArityError("mset"); return; }
  for (let i = 1; i < cmdArgc; i += 2) {
    if (storeString(i, argPtr(i + 1), argLen(i + 1), false) == 0) return;
    stringModified(i, "set");
  }
  writeOK();
}

/** MSETNX key value [key value ...] */
export function msetnxCommand(): void {
  if ((cmdArgc & 1) == 0) { writeArityError("msetnx"); return; }
  for (let i = 1; i < cmdArgc; i += 2) {
    if (lookup(curDb, argPtr(i), argLen(i)) != 0) { writeInt(0); return; }
  }
  for (let i = 1; i < cmdArgc; i += 2) {
    if (storeString(i, argPtr(i + 1), argLen(i + 1), false) == 0) return;
    stringModified(i, "set");
  }
  writeInt(1);
}

/** STRLEN key */
export function strlenCommand(): void {
  const e = lookupRead(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeInt(0); return; }
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
  writeInt(<i64>entryValLen(e));
}

/** APPEND key value */
export function appendCommand(): void {
  const e = lookup(curDb, argPtr(1), argLen(1));
  const alen = argLen(2);
  if (e == 0) {
    const ne = storeString(1, argPtr(2), alen, false);
    if (ne != 0) { stringModified(1, "append"); writeInt(<i64>alen); }
    return;
  }
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
  const old = entryValLen(e);
  if (<i64>old + <i64>alen > maxBulkLen) { writeError(ERR_TOO_BIG); return; }
  const g = growString(curDb, e, old + alen);
  if (g == 0) { writeError(ERR_OOM); return; }
  memory.copy(entryVal(g) + old, argPtr(2), alen);
  store<u32>(g + E_VLEN, <u32>(old + alen));
  setStringEncoding(g, ENC_RAW);
  stringModified(1, "append");
  addDirty(1);
  writeInt(<i64>(old + alen));
}

/** GETRANGE key start end (and SUBSTR) */
export function getrangeCommand(): void {
  if (!argI64(2)) return;
  let start = argValue;
  if (!argI64(3)) return;
  let end = argValue;
  const e = lookupRead(curDb, argPtr(1), argLen(1));
  if (e == 0) { writeBulk(0, EMPTY_BULK_LEN); return; }
  if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
  const len = <i64>entryValLen(e);
  if (start < 0 && end < 0 && start > end) { writeBulk(0, 0); return; }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len == 0) { writeBulk(0, 0); return; }
  writeBulk(entryVal(e) + <usize>start, <usize>(end - start + 1));
}

/** SETRANGE key offset value */
export function setrangeCommand(): void {
  if (!argI64(2)) return;
  const offset = argValue;
  if (offset < 0) { writeError("ERR offset is out of range"); return; }
  const vlen = argLen(3);
  let e = lookup(curDb, argPtr(1), argLen(1));
  if (e == 0) {
    if (vlen == 0) { writeInt(0); return; }
    if (offset > maxBulkLen - <i64>vlen) { writeError(ERR_TOO_BIG); return; }
    const total = <usize>offset + vlen;
    e = setString(curDb, argPtr(1), argLen(1), 0, total, false);
    if (e == 0) { writeError(ERR_OOM); return; }
    memory.fill(entryVal(e), 0, <usize>offset);
  } else {
    if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
    const olen = entryValLen(e);
    if (vlen == 0) { writeInt(<i64>olen); return; }
    if (offset > maxBulkLen - <i64>vlen) { writeError(ERR_TOO_BIG); return; }
    const total = <usize>offset + vlen;
    if (total > olen) {
      e = growString(curDb, e, total);
      if (e == 0) { writeError(ERR_OOM); return; }
      memory.fill(entryVal(e) + olen, 0, total - olen);
      store<u32>(e + E_VLEN, <u32>total);
    }
  }
  memory.copy(entryVal(e) + <usize>offset, argPtr(3), vlen);
  setStringEncoding(e, ENC_RAW);
  stringModified(1, "setrange");
  addDirty(1);
  writeInt(<i64>entryValLen(e));
}

/** Add `incr` to the integer at key arg 1: INCR DECR INCRBY DECRBY. */
function incrDecr(incr: i64): void {
  const e = lookup(curDb, argPtr(1), argLen(1));
  let value: i64 = 0;
  if (e != 0) {
    if (entryType(e) != T_STRING) { writeError(ERR_WRONGTYPE); return; }
    if (!parseI64(entryVal(e), entryValLen(e))) { writeError(ERR_NOT_INT); return; }
    value = parsedI64;
  }
  if ((incr < 0 && value < 0 && incr < (-9223372036854775807 - 1) - value) ||
      (incr > 0 && value > 0 && incr > 9223372036854775807 - value)) {
    writeError("ERR increment or decrement would overflow");
    return;
  }
  value += incr;
  // format into the entry in place when it fits, else through setString (keeps the TTL)
  const buf = scratch;
  const n = formatI64(buf, value);
  let t: usize;
  if (e != 0 && <usize>n <= <usize>load<u32>(e + E_VCAP)) {
    memory.copy(entryVal(e), buf, n);
    store<u32>(e + E_VLEN, n);
    t = e;
  } else {
    t = setString(curDb, argPtr(1), argLen(1), buf, n, true);
    if (t == 0) { writeError(ERR_OOM); return; }
  }
  setStringEncoding(t, ENC_INT);
  stringModified(1, "incrby");
  addDirty(1);
  writeInt(value);
}

/** INCR key */
export function incrCommand(): void { incrDecr(1); }
/** DECR key */
export function decrCommand(): void { incrDecr(-1); }
/** INCRBY key increment */
export function incrbyCommand(): void { if (argI64(2)) incrDecr(argValue); }
/** DECRBY key decrement */
export function decrbyCommand(): void {
  if (!argI64(2)) return;
  if (argValue == -9223372036854775807 - 1) { writeError("ERR decrement would overflow"); return; }
  incrDecr(-argValue);
}
