// List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM
// LPOS LMOVE RPOPLPUSH LMPOP, with Redis 7.0's replies, error texts and argument order (which
// arguments are parsed before the key is looked up decides which error a client sees).

import {
  lookup, lookupRead, deleteKey, createObjectKey, entryType, entryObj, T_LIST,
} from "../keyspace";
import {
  listNew, listFree, listLen, listGet, listSet, listPush, listPop, listInsert, listRemoveAt, listKeepRange,
  elemNew, elemPtr, elemLen, elemEquals,
} from "../ds/list";
import { free } from "../alloc";
import {
  writeOK, writeNull, writeNullArray, writeBulk, writeInt, writeError, writeArrayLen,
} from "../resp/writer";
import {
  argPtr, argLen, argIs, argI64, argValue, cmdArgc, curDb, addDirty, ERR_WRONGTYPE, ERR_OOM, ERR_SYNTAX, ERR_NO_SUCH_KEY,
  writeArityError,
} from "./args";
import { parseI64, parsedI64 } from "../util/number";
import { argTimeout, argTimeoutMs } from "./args";
import {
  blockCurrent, isServingKey, markServed, serving,
} from "../blocking";
import { CMD_BLPOP, CMD_BRPOP, CMD_BLMOVE, CMD_BRPOPLPUSH, CMD_BLMPOP } from "./table.generated";
import { notifyKeyspaceEvent, NOTIFY_LIST, NOTIFY_GENERIC } from "../notify";
import { signalModifiedKey } from "../watch";

const LONG_MAX: i64 = 9223372036854775807;

/**
 * The list at key arg ki, 0 if missing; -1 (after replying WRONGTYPE) if another type. `read`:
 * a read lookup (counted in keyspace_hits/misses, as Redis's lookupKeyRead) rather than a write.
 */
function listAt(ki: i32, read: bool = false): isize {
  const e = read ? lookupRead(curDb, argPtr(ki), argLen(ki)) : lookup(curDb, argPtr(ki), argLen(ki));
  if (e == 0) return 0;
  if (entryType(e) != T_LIST) { writeError(ERR_WRONGTYPE); return -1; }
  return <isize>entryObj(e);
}

/** Delete key arg ki if its list is now empty (Redis never keeps empty lists). */
function dropIfEmpty(ki: i32, l: usize): void {
  if (listLen(l) == 0) deleteKey(curDb, argPtr(ki), argLen(ki));
}

/** List key arg ki was changed by `event` (class l): WATCH signal and keyspace event. */
function listModified(ki: i32, event: string): void {
  signalModifiedKey(curDb, argPtr(ki), argLen(ki));
  notifyKeyspaceEvent(NOTIFY_LIST, event, argPtr(ki), argLen(ki), curDb);
}

/**
 * Elements were popped from list l at key arg ki: the "lpop"/"rpop" event, then the key is
 * deleted with a "del" event if the list is now empty (as Redis's listElementsRemoved).
 */
function listPopped(ki: i32, l: usize, left: bool): void {
  notifyKeyspaceEvent(NOTIFY_LIST, left ? "lpop" : "rpop", argPtr(ki), argLen(ki), curDb);
  deleteIfEmptied(ki, l);
  signalModifiedKey(curDb, argPtr(ki), argLen(ki));
}

/** Delete key arg ki, with a "del" event, when its list l is now empty. */
function deleteIfEmptied(ki: i32, l: usize): void {
  if (listLen(l) != 0) return;
  deleteKey(curDb, argPtr(ki), argLen(ki));
  notifyKeyspaceEvent(NOTIFY_GENERIC, "del", argPtr(ki), argLen(ki), curDb);
}

/** Create an empty list at key arg ki; 0 (after replying OOM) when memory is exhausted. */
function createList(ki: i32): usize {
  const l = listNew();
  if (l == 0) { writeError(ERR_OOM); return 0; }
  if (createObjectKey(curDb, argPtr(ki), argLen(ki), T_LIST, l) == 0) { listFree(l); writeError(ERR_OOM); return 0; }
  return l;
}

/** Push arguments [from, argc) onto l; false (after replying OOM) when memory is exhausted. */
function pushArgs(l: usize, from: i32, left: bool): bool {
  for (let i = from; i < cmdArgc; i++) {
    const el = elemNew(argPtr(i), argLen(i));
    if (el == 0 || !listPush(l, el, left)) { if (el != 0) free(el); writeError(ERR_OOM); return false; }
  }
  return true;
}

/** LPUSH / RPUSH / LPUSHX / RPUSHX body. */
function pushGeneric(left: bool, onlyIfExists: bool): void {
  const r = listAt(1);
  if (r < 0) return;
  let l = <usize>r;
  if (l == 0) {
    if (onlyIfExists) { writeInt(0); return; }
    l = createList(1);
    if (l == 0) return;
  }
  if (!pushArgs(l, 2, left)) { dropIfEmpty(1, l); return; }
  addDirty(<u64>(cmdArgc - 2));
  // the reply goes out before the event, as in Redis
  writeInt(<i64>listLen(l));
  listModified(1, left ? "lpush" : "rpush");
}

/** LPUSH key element [element ...] */
export function lpushCommand(): void { pushGeneric(true, false); }
/** RPUSH key element [element ...] */
export function rpushCommand(): void { pushGeneric(false, false); }
/** LPUSHX key element [element ...] */
export function lpushxCommand(): void { pushGeneric(true, true); }
/** RPUSHX key element [element ...] */
export function rpushxCommand(): void { pushGeneric(false, true); }

/** Write and free element el (popped elements are owned by the caller). */
function replyAndFree(el: usize): void {
  writeBulk(elemPtr(el), elemLen(el));
  free(el);
}

/** LPOP / RPOP key [count] */
function popGeneric(left: bool): void {
  if (cmdArgc > 3) { writeArityError(left ? "lpop" : "rpop"); return; }
  const hasCount = cmdArgc == 3;
  let count: i64 = 0;
  if (hasCount) {
    if (!parseI64(argPtr(2), argLen(2)) || parsedI64 < 0) { writeError("ERR value is out of range, must be positive"); return; }
    count = parsedI64;
  }
  const r = listAt(1);
  if (r < 0) return;
  if (r == 0) { if (hasCount) writeNullArray(); else writeNull(); return; }
  const l = <usize>r;
  if (hasCount && count == 0) { writeArrayLen(0); return; }
  if (!hasCount) {
    replyAndFree(listPop(l, left));
    addDirty(1);
  } else {
    const n = <i64>listLen(l) < count ? <i64>listLen(l) : count;
    writeArrayLen(n);
    for (let i: i64 = 0; i < n; i++) replyAndFree(listPop(l, left));
    addDirty(<u64>n);
  }
  listPopped(1, l, left);
}

/** LPOP key [count] */
export function lpopCommand(): void { popGeneric(true); }
/** RPOP key [count] */
export function rpopCommand(): void { popGeneric(false); }

/** LLEN key */
export function llenCommand(): void {
  const r = listAt(1, true);
  if (r < 0) return;
  writeInt(r == 0 ? 0 : <i64>listLen(<usize>r));
}

/** Result of rangeOf: first index and number of elements (0 = empty range). */
let rangeStart: i64 = 0;
let rangeCount: i64 = 0;

/** Redis's start/stop rules for LRANGE and LTRIM (negative from the end, clamped). */
function rangeOf(start: i64, end: i64, len: i64): void {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  rangeStart = 0;
  rangeCount = 0;
  if (start > end || start >= len) return;
  if (end >= len) end = len - 1;
  rangeStart = start;
  rangeCount = end - start + 1;
}

/** LRANGE key start stop */
export function lrangeCommand(): void {
  if (!argI64(2)) return;
  const start = argValue;
  if (!argI64(3)) return;
  const end = argValue;
  const r = listAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeArrayLen(0); return; }
  const l = <usize>r;
  rangeOf(start, end, <i64>listLen(l));
  writeArrayLen(rangeCount);
  for (let i = rangeStart; i < rangeStart + rangeCount; i++) {
    const el = listGet(l, <u32>i);
    writeBulk(elemPtr(el), elemLen(el));
  }
}

/** An index as a position in a list of `len` (negative from the end); -1 if outside. */
function resolveIndex(index: i64, len: u32): i64 {
  if (index < 0) index = <i64>len + index;
  return index < 0 || index >= <i64>len ? -1 : index;
}

/** LINDEX key index */
export function lindexCommand(): void {
  const r = listAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeNull(); return; }
  if (!argI64(2)) return;
  const l = <usize>r;
  const i = resolveIndex(argValue, listLen(l));
  if (i < 0) { writeNull(); return; }
  const el = listGet(l, <u32>i);
  writeBulk(elemPtr(el), elemLen(el));
}

/** LSET key index element */
export function lsetCommand(): void {
  const r = listAt(1);
  if (r < 0) return;
  if (r == 0) { writeError(ERR_NO_SUCH_KEY); return; }
  if (!argI64(2)) return;
  const l = <usize>r;
  const i = resolveIndex(argValue, listLen(l));
  if (i < 0) { writeError("ERR index out of range"); return; }
  const el = elemNew(argPtr(3), argLen(3));
  if (el == 0) { writeError(ERR_OOM); return; }
  listSet(l, <u32>i, el);
  addDirty(1);
  writeOK();
  listModified(1, "lset");
}

/** LINSERT key BEFORE|AFTER pivot element */
export function linsertCommand(): void {
  let after: bool;
  if (argIs(2, "after")) after = true;
  else if (argIs(2, "before")) after = false;
  else { writeError(ERR_SYNTAX); return; }
  const r = listAt(1);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const l = <usize>r;
  const len = listLen(l);
  for (let i: u32 = 0; i < len; i++) {
    if (elemEquals(listGet(l, i), argPtr(3), argLen(3))) {
      const el = elemNew(argPtr(4), argLen(4));
      if (el == 0 || !listInsert(l, after ? i + 1 : i, el)) { if (el != 0) free(el); writeError(ERR_OOM); return; }
      listModified(1, "linsert");
      addDirty(1);
      writeInt(<i64>listLen(l));
      return;
    }
  }
  writeInt(-1);
}

/** LREM key count element */
export function lremCommand(): void {
  if (!argI64(2)) return;
  const toRemove = argValue;
  const r = listAt(1);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const l = <usize>r;
  const p = argPtr(3), n = argLen(3);
  let removed: i64 = 0;
  if (toRemove >= 0) {
    let i: u32 = 0;
    while (i < listLen(l) && (toRemove == 0 || removed < toRemove)) {
      if (elemEquals(listGet(l, i), p, n)) { listRemoveAt(l, i); removed++; } else i++;
    }
  } else {
    // -count overflows for -2^63 and Redis then removes every match: no limit
    const limit: i64 = toRemove == -LONG_MAX - 1 ? LONG_MAX : -toRemove;
    let i = <i64>listLen(l) - 1;
    while (i >= 0 && removed < limit) {
      if (elemEquals(listGet(l, <u32>i), p, n)) { listRemoveAt(l, <u32>i); removed++; }
      i--;
    }
  }
  if (removed > 0) { addDirty(<u64>removed); listModified(1, "lrem"); }
  deleteIfEmptied(1, l);
  writeInt(removed);
}

/** LTRIM key start stop */
export function ltrimCommand(): void {
  if (!argI64(2)) return;
  const start = argValue;
  if (!argI64(3)) return;
  const end = argValue;
  const r = listAt(1);
  if (r < 0) return;
  if (r == 0) { writeOK(); return; }
  const l = <usize>r;
  const len = <i64>listLen(l);
  rangeOf(start, end, len);
  listKeepRange(l, <u32>rangeStart, <u32>rangeCount);
  addDirty(<u64>(len - rangeCount));
  notifyKeyspaceEvent(NOTIFY_LIST, "ltrim", argPtr(1), argLen(1), curDb);
  deleteIfEmptied(1, l);
  signalModifiedKey(curDb, argPtr(1), argLen(1));
  writeOK();
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
export function lposCommand(): void {
  let rank: i64 = 1, count: i64 = -1, maxlen: i64 = 0;
  for (let j = 3; j < cmdArgc; j++) {
    const more = cmdArgc - 1 - j;
    if (argIs(j, "rank") && more > 0) {
      j++;
      if (!argI64(j)) return;
      rank = argValue;
      if (rank == 0) {
        writeError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        return;
      }
    } else if (argIs(j, "count") && more > 0) {
      j++;
      if (!parseI64(argPtr(j), argLen(j)) || parsedI64 < 0) { writeError("ERR COUNT can't be negative"); return; }
      count = parsedI64;
    } else if (argIs(j, "maxlen") && more > 0) {
      j++;
      if (!parseI64(argPtr(j), argLen(j)) || parsedI64 < 0) { writeError("ERR MAXLEN can't be negative"); return; }
      maxlen = parsedI64;
    } else { writeError(ERR_SYNTAX); return; }
  }
  const r = listAt(1, true);
  if (r < 0) return;
  if (r == 0) { if (count != -1) writeArrayLen(0); else writeNull(); return; }
  const l = <usize>r;
  const len = <i64>listLen(l);
  const fromTail = rank < 0;
  // as Redis: the rank's magnitude (LONG_MIN stays negative, so every match qualifies)
  const need: i64 = rank < 0 && rank != (-LONG_MAX - 1) ? -rank : rank;
  const p = argPtr(2), n = argLen(2);
  // two passes: count the matches to reply, then write them
  let found: i64 = 0;
  for (let pass = 0; pass < 2; pass++) {
    let matches: i64 = 0;
    let emitted: i64 = 0;
    if (pass == 1) {
      if (count != -1) writeArrayLen(found);
      else if (found == 0) { writeNull(); return; }
    }
    for (let k: i64 = 0; k < len && (maxlen == 0 || k < maxlen); k++) {
      const idx = fromTail ? len - 1 - k : k;
      if (!elemEquals(listGet(l, <u32>idx), p, n)) continue;
      matches++;
      if (matches < need) continue;
      if (pass == 1) writeInt(idx);
      emitted++;
      if (count == -1 || (count != 0 && emitted >= count)) break;
    }
    found = emitted;
  }
}

/** Parse LEFT|RIGHT at argument ai into `parsedLeft`; replies syntax error and returns false. */
let parsedLeft: bool = false;
function parseSide(ai: i32): bool {
  if (argIs(ai, "left")) parsedLeft = true;
  else if (argIs(ai, "right")) parsedLeft = false;
  else { writeError(ERR_SYNTAX); return false; }
  return true;
}

/** Move one element from list key arg 1 to list key arg 2 (LMOVE, RPOPLPUSH). */
function moveGeneric(fromLeft: bool, toLeft: bool): void {
  const rs = listAt(1);
  if (rs < 0) return;
  if (rs == 0) { writeNull(); return; }
  const src = <usize>rs;
  const rd = listAt(2);
  if (rd < 0) return;
  let dst = <usize>rd;
  const el = listPop(src, fromLeft);
  if (dst == 0) {
    dst = createList(2);
    if (dst == 0) { listPush(src, el, fromLeft); return; }
  }
  if (!listPush(dst, el, toLeft)) { listPush(src, el, fromLeft); writeError(ERR_OOM); return; }
  // Redis publishes the push on the destination, replies, then publishes the pop on the source;
  // the reply is written before the source may be deleted (the element now lives in dst)
  listModified(2, toLeft ? "lpush" : "rpush");
  writeBulk(elemPtr(el), elemLen(el));
  addDirty(1);
  listPopped(1, src, fromLeft);
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
export function lmoveCommand(): void {
  if (!parseSide(3)) return;
  const fromLeft = parsedLeft;
  if (!parseSide(4)) return;
  moveGeneric(fromLeft, parsedLeft);
}

/** RPOPLPUSH source destination */
export function rpoplpushCommand(): void { moveGeneric(false, true); }

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
export function lmpopCommand(): void { mpopGeneric(1, false); }

/**
 * LMPOP / BLMPOP body; numkeys is argument ni (1 for LMPOP, 2 for BLMPOP, after its timeout).
 * A blocking call with nothing to pop waits on every key given.
 */
function mpopGeneric(ni: i32, block: bool): void {
  if (!parseI64(argPtr(ni), argLen(ni)) || parsedI64 < 1) { writeError("ERR numkeys should be greater than 0"); return; }
  const numkeys = parsedI64;
  // LEFT|RIGHT follows the keys (compared without forming ni + 1 + numkeys, which can overflow)
  if (numkeys >= <i64>(cmdArgc - ni - 1)) { writeError(ERR_SYNTAX); return; }
  const whereIdx = <i64>ni + numkeys + 1;
  if (!parseSide(<i32>whereIdx)) return;
  const left = parsedLeft;
  let count: i64 = -1;
  for (let j = <i32>whereIdx + 1; j < cmdArgc; j++) {
    const more = cmdArgc - 1 - j;
    if (count == -1 && argIs(j, "count") && more > 0) {
      j++;
      if (!parseI64(argPtr(j), argLen(j)) || parsedI64 < 1) { writeError("ERR count should be greater than 0"); return; }
      count = parsedI64;
    } else { writeError(ERR_SYNTAX); return; }
  }
  if (count == -1) count = 1;
  // BLMPOP reads its timeout (argument 1) only now, after numkeys, the side and COUNT, as Redis
  if (block && !argTimeout(1)) return;
  for (let k: i32 = ni + 1; k < <i32>whereIdx; k++) {
    if (!isServingKey(k)) continue;
    const r = serving ? servableList(k) : listAt(k);
    if (r < 0) return;
    if (r == 0) continue;
    const l = <usize>r;
    if (listLen(l) == 0) continue;
    const n = <i64>listLen(l) < count ? <i64>listLen(l) : count;
    writeArrayLen(2);
    writeBulk(argPtr(k), argLen(k));
    writeArrayLen(n);
    for (let i: i64 = 0; i < n; i++) replyAndFree(listPop(l, left));
    addDirty(<u64>n);
    listPopped(k, l, left);
    markServed();
    return;
  }
  if (serving) return;
  if (!block) { writeNullArray(); return; }
  if (!blockCurrent(CMD_BLMPOP, ni + 1, <i32>numkeys, argTimeoutMs)) writeError(ERR_OOM);
}

// ─── blocking variants (see blocking.ts for how waits are queued and served) ─────────────────

/**
 * In serve mode, the list at key arg ki if it is one (0 otherwise: a key of another type does not
 * serve list waiters and gets no WRONGTYPE, as in Redis 7.0).
 */
function servableList(ki: i32): isize {
  const e = lookup(curDb, argPtr(ki), argLen(ki));
  return e == 0 || entryType(e) != T_LIST ? 0 : <isize>entryObj(e);
}

/** BLPOP / BRPOP key [key ...] timeout */
function blockingPop(left: bool, cmd: i32): void {
  if (!argTimeout(cmdArgc - 1)) return;
  for (let k: i32 = 1; k < cmdArgc - 1; k++) {
    if (!isServingKey(k)) continue;
    const r = serving ? servableList(k) : listAt(k);
    if (r < 0) return;
    if (r == 0) continue;
    const l = <usize>r;
    writeArrayLen(2);
    writeBulk(argPtr(k), argLen(k));
    replyAndFree(listPop(l, left));
    addDirty(1);
    listPopped(k, l, left);
    markServed();
    return;
  }
  if (serving) return;
  if (!blockCurrent(cmd, 1, cmdArgc - 2, argTimeoutMs)) writeError(ERR_OOM);
}

/** BLPOP key [key ...] timeout */
export function blpopCommand(): void { blockingPop(true, CMD_BLPOP); }
/** BRPOP key [key ...] timeout */
export function brpopCommand(): void { blockingPop(false, CMD_BRPOP); }

/** BLMOVE / BRPOPLPUSH body: timeout at argument ti. */
function blockingMove(fromLeft: bool, toLeft: bool, ti: i32, cmd: i32): void {
  if (!argTimeout(ti)) return;
  if (serving) {
    // the source is the key being served; the destination's type decides inside moveGeneric
    if (servableList(1) == 0) return;
    moveGeneric(fromLeft, toLeft);
    markServed();
    return;
  }
  const rs = listAt(1);
  if (rs < 0) return;
  if (rs > 0) { moveGeneric(fromLeft, toLeft); return; }
  // a timeout answers a null array, as BLPOP's (Redis 7.0 replies the same for every key wait)
  if (!blockCurrent(cmd, 1, 1, argTimeoutMs)) writeError(ERR_OOM);
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
export function blmoveCommand(): void {
  if (!parseSide(3)) return;
  const fromLeft = parsedLeft;
  if (!parseSide(4)) return;
  blockingMove(fromLeft, parsedLeft, 5, CMD_BLMOVE);
}

/** BRPOPLPUSH source destination timeout */
export function brpoplpushCommand(): void { blockingMove(false, true, 3, CMD_BRPOPLPUSH); }

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
export function blmpopCommand(): void {
  mpopGeneric(2, true);
}
