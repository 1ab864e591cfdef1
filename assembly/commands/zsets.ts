// Sorted-set commands: ZADD ZINCRBY ZREM ZCARD ZCOUNT ZLEXCOUNT ZSCORE ZMSCORE ZRANK ZREVRANK
// ZRANGE ZRANGESTORE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX
// ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP ZUNION ZUNIONSTORE ZINTER
// ZINTERSTORE ZINTERCARD ZDIFF ZDIFFSTORE ZRANDMEMBER ZSCAN, with Redis 7.0's replies (RESP2 and
// RESP3 shapes differ per command: see each), error texts and order of checks.
//
// Owns: argument parsing and replies. The data work is in ds/zset.ts (both encodings) and
// ds/skiplist.ts (range specs). Scores are parsed and printed by util/double.ts, exactly as
// glibc's strtod and "%.17g".
//
// For the blocking commands (BZPOPMIN, BZPOPMAX, BZMPOP, run by the host) see zsetPopForBlocked.

import { argTimeout, argTimeoutMs } from "./args";
import { blockCurrent, isServingKey, markServed, serving, muteKeySignals } from "../blocking";
import { CMD_BZPOPMIN, CMD_BZPOPMAX, CMD_BZMPOP } from "./table.generated";
import { notifyKeyspaceEvent, NOTIFY_ZSET, NOTIFY_GENERIC } from "../notify";
import { signalModifiedKey } from "../watch";

/** Sorted set key [k, klen) was changed by `event` (class z): WATCH signal and keyspace event. */
function zsetModified(k: usize, klen: usize, event: string): void {
  signalModifiedKey(curDb, k, klen);
  notifyKeyspaceEvent(NOTIFY_ZSET, event, k, klen, curDb);
}

/** A "del" event (class g) for key [k, klen). */
function delEvent(k: usize, klen: usize): void {
  notifyKeyspaceEvent(NOTIFY_GENERIC, "del", k, klen, curDb);
}

/** The destination of a *STORE was deleted because the result is empty: signal and "del". */
function storeDeleted(k: usize, klen: usize): void {
  signalModifiedKey(curDb, k, klen);
  delEvent(k, klen);
}
import {
  lookup, lookupRead, deleteKey, createObjectKey, entryType, entryObj, randomU32, T_ZSET, T_SET, E_LFU, E_LRU,
} from "../keyspace";
import {
  zsetNew, zsetFree, zsetLength, zsetEncoding, zsetScore, zsetAdd, zsetDelete, zsetRank, zScore, zNewScore,
  zsetMaybeToListpack, zsetDeleteRangeByRank, zsetDeleteRangeByScore, zsetDeleteRangeByLex,
  zsetCountInScoreRange, zsetCountInLexRange, iterAtRank, iterAtScoreRange, iterAtLexRange, iterFromTop,
  iterValid, iterMember, iterMemberLen, iterScore, iterNext, zsetRandom, zsetEdge, randMember, randMemberLen,
  randScore, packIndexMember, packIndexMemberLen, packIndexScore, zsetDict,
  ZENC_LISTPACK, ZADD_INCR, ZADD_NX, ZADD_XX, ZADD_GT, ZADD_LT, ZOUT_NAN, ZOUT_ADDED, ZOUT_UPDATED,
  ZOUT_NOP, ZOUT_OOM,
} from "../ds/zset";
import { setScoreRange, valueGteMin, valueLteMax, parseLexBound, lexGteMin, lexLteMax } from "../ds/skiplist";
import {
  dictNew, dictFree, dictFind, dictAdd, dictFirst, dictNext, nodeKey, nodeKeyLen, nodeVal, dictScan,
  dictScanNext, nodeNextInBucket,
} from "../ds/dict";
import { alloc, free } from "../alloc";
import {
  writeNull, writeNullArray, writeBulk, writeInt, writeError, writeErrorLits, writeArrayLen,
  writeDoubleText, outPtr, outLen, reserve, advance, proto,
} from "../resp/writer";
import {
  argPtr, argLen, argIsCStr, argCStrLen, argI64, argValue, cmdArgc, curDb, addDirty, scratch,
  ERR_WRONGTYPE, ERR_OOM, ERR_SYNTAX, ERR_NOT_INT,
} from "./args";
import { parseI64, parsedI64, formatI64 } from "../util/number";
import { strtodBytes, parseDouble, parsedDouble, formatDouble17g, formatDoubleListpack } from "../util/double";
import { globMatch } from "../util/glob";
import { parseScanCursor, scanCursor, parseScanOptions, scanOptCount, scanOptPattern, scanOptPatternLen, scanOptUsePattern, writeEmptyScan } from "./scan-args";
import { SET_SCRATCH_USED, setSize, setIsMember, setFirst, setNext, setMember, memberPtr, memberLen } from "../ds/set";
import { configZsetMaxListpackEntries, configZsetMaxListpackValue, configMaxmemoryPolicyLfu } from "../config";

const LONG_MAX: i64 = 9223372036854775807;

// Scratch bytes used here, kept clear of the first SET_SCRATCH_USED bytes, where ds/set.ts
// formats intset members while a set source is walked.
// @ts-ignore: decorator
@inline function hdrBuf(): usize { return scratch + SET_SCRATCH_USED; }       // 24 bytes: deferred array header
// @ts-ignore: decorator
@inline function numBuf(): usize { return scratch + SET_SCRATCH_USED + 32; }  // 32 bytes: formatted numbers
// @ts-ignore: decorator
@inline function recBuf(): usize { return scratch + SET_SCRATCH_USED + 64; }  // SRC_SIZE bytes: one source record
// @ts-ignore: decorator
@inline function valBuf(): usize { return scratch + SET_SCRATCH_USED + 96; }  // 8 bytes: a score value
const ERR_FLOAT = "ERR value is not a valid float";
const ERR_NAN = "ERR resulting score is not a number (NaN)";
const ERR_RANGE_FLOAT = "ERR min or max is not a float";
const ERR_RANGE_LEX = "ERR min or max not valid string range item";
const ERR_POSITIVE = "ERR value is out of range, must be positive";

// ─── helpers ────────────────────────────────────────────────────────────────────────────────

/**
 * The zset at key arg ki: 0 if missing; -1 (after replying WRONGTYPE) if another type. `read`:
 * a read lookup (keyspace_hits/misses, as Redis's lookupKeyRead) rather than a write lookup.
 */
function zsetAt(ki: i32, read: bool): isize {
  const e = read ? lookupRead(curDb, argPtr(ki), argLen(ki)) : lookup(curDb, argPtr(ki), argLen(ki));
  if (e == 0) return 0;
  if (entryType(e) != T_ZSET) { writeError(ERR_WRONGTYPE); return -1; }
  return <isize>entryObj(e);
}

/** Delete key arg ki when its zset is empty (Redis never keeps empty zsets). */
function dropIfEmpty(ki: i32, zs: usize): void {
  if (zsetLength(zs) == 0) deleteKey(curDb, argPtr(ki), argLen(ki));
}

/** Double reply: RESP3 ",<%.17g>", RESP2 bulk string. */
function writeScore(v: f64): void {
  const n = formatDouble17g(numBuf(), v);
  writeDoubleText(numBuf(), n);
}

/**
 * Replace key [k, klen) (whatever it holds; its TTL goes) with zset zs, as Redis's setKey. Under
 * an LFU policy the new value keeps the old one's access counter (dbOverwrite). Frees zs and
 * returns false when memory is exhausted.
 */
function storeZset(k: usize, klen: usize, zs: usize): bool {
  const old = lookup(curDb, k, klen);
  let lfu: u8 = 0, lru: u32 = 0;
  const keep = old != 0 && configMaxmemoryPolicyLfu();
  if (keep) { lfu = load<u8>(old + E_LFU); lru = load<u32>(old + E_LRU); }
  if (old != 0) deleteKey(curDb, k, klen);
  // replacing an existing key wakes no blocked client (Redis 7.0 overwrites in place); creating
  // one does
  muteKeySignals(old != 0);
  const e = createObjectKey(curDb, k, klen, T_ZSET, zs);
  muteKeySignals(false);
  if (e == 0) { zsetFree(zs); return false; }
  if (keep) { store<u8>(e + E_LFU, lfu); store<u32>(e + E_LRU, lru); }
  return true;
}

// Deferred array length (Redis's addReplyDeferredLen): the header is inserted in front of the
// elements once their number is known.
function deferredArrayLen(mark: usize, n: i64): void {
  const h = hdrBuf();
  store<u8>(h, 0x2A);
  let hl = <usize>1 + <usize>formatI64(h + 1, n);
  store<u16>(h + hl, 0x0A0D);
  hl += 2;
  if (!reserve(hl)) return;
  memory.copy(outPtr + mark + hl, outPtr + mark, outLen - mark);
  memory.copy(outPtr + mark, h, hl);
  advance(hl);
}

/**
 * Parse a score bound as Redis's zslParseRange: "(x" is exclusive; the rest goes to strtod,
 * which must reach the end of the C string (so leading spaces, "", "1e400" and bytes after a
 * NUL are accepted); NaN is not.
 */
let boundValue: f64 = 0;
let boundEx: bool = false;
function parseScoreBound(ai: i32): bool {
  let p = argPtr(ai), len = argLen(ai);
  boundEx = false;
  if (len > 0 && load<u8>(p) == 0x28) { boundEx = true; p++; len--; }
  const used = strtodBytes(p, len);
  if (used != len && load<u8>(p + used) != 0) return false;
  if (isNaN(parsedDouble)) return false;
  boundValue = parsedDouble;
  return true;
}

/** Parse a score range from args min, max into the range spec; replies the error when invalid. */
function parseScoreRange(minIdx: i32, maxIdx: i32): bool {
  if (!parseScoreBound(minIdx)) { writeError(ERR_RANGE_FLOAT); return false; }
  const min = boundValue, minEx = boundEx;
  if (!parseScoreBound(maxIdx)) { writeError(ERR_RANGE_FLOAT); return false; }
  setScoreRange(min, minEx, boundValue, boundEx);
  return true;
}

/** Parse a lex range from args min, max; replies the error when invalid. */
function parseLexRange(minIdx: i32, maxIdx: i32): bool {
  if (!parseLexBound(argPtr(minIdx), argLen(minIdx), false) || !parseLexBound(argPtr(maxIdx), argLen(maxIdx), true)) {
    writeError(ERR_RANGE_LEX);
    return false;
  }
  return true;
}

/** Redis's getRangeLongFromObjectOrReply with a custom message for both failures. */
function argLongInRange(ai: i32, min: i64, msg: string): bool {
  if (!parseI64(argPtr(ai), argLen(ai)) || parsedI64 < min) { writeError(msg); return false; }
  return true;
}

// ─── ZADD / ZINCRBY ─────────────────────────────────────────────────────────────────────────

/** ZADD / ZINCRBY body (ZINCRBY starts with the INCR flag). */
function zaddGeneric(flags: u32): void {
  let ch = false;
  let si = 2;
  while (si < cmdArgc) {
    // options start with a letter; scores almost always with a digit, sign or point
    const c0 = argLen(si) == 0 ? 0 : <u32>load<u8>(argPtr(si));
    if ((c0 >= 0x30 && c0 <= 0x39) || c0 == 0x2D || c0 == 0x2B || c0 == 0x2E) break;
    if (argIsCStr(si, "nx")) flags |= ZADD_NX;
    else if (argIsCStr(si, "xx")) flags |= ZADD_XX;
    else if (argIsCStr(si, "ch")) ch = true;
    else if (argIsCStr(si, "incr")) flags |= ZADD_INCR;
    else if (argIsCStr(si, "gt")) flags |= ZADD_GT;
    else if (argIsCStr(si, "lt")) flags |= ZADD_LT;
    else break;
    si++;
  }
  const incr = (flags & ZADD_INCR) != 0, nx = (flags & ZADD_NX) != 0, xx = (flags & ZADD_XX) != 0;
  const gt = (flags & ZADD_GT) != 0, lt = (flags & ZADD_LT) != 0;
  let elements = cmdArgc - si;
  if (elements % 2 != 0 || elements == 0) { writeError(ERR_SYNTAX); return; }
  elements >>= 1;
  if (nx && xx) { writeError("ERR XX and NX options at the same time are not compatible"); return; }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    writeError("ERR GT, LT, and/or NX options at the same time are not compatible");
    return;
  }
  if (incr && elements > 1) { writeError("ERR INCR option supports a single increment-element pair"); return; }
  // every score is checked before anything changes (parsed again below when there are several)
  for (let j = 0; j < elements; j++) {
    if (!parseDouble(argPtr(si + j * 2), argLen(si + j * 2))) { writeError(ERR_FLOAT); return; }
  }
  const r = zsetAt(1, false);
  if (r < 0) return;
  let zs = <usize>r;
  let added: i64 = 0, updated: i64 = 0, processed: i64 = 0;
  let score: f64 = 0;
  if (zs == 0) {
    if (xx) { if (incr) writeNull(); else writeInt(0); return; }
    const listpack = configZsetMaxListpackEntries() != 0 && <usize>configZsetMaxListpackValue() >= argLen(si + 1);
    zs = zsetNew(listpack);
    if (zs == 0) { writeError(ERR_OOM); return; }
    if (createObjectKey(curDb, argPtr(1), argLen(1), T_ZSET, zs) == 0) { zsetFree(zs); writeError(ERR_OOM); return; }
  }
  // the one score of a single pair is still in parsedDouble from the check above
  const single = elements == 1;
  const firstScore = parsedDouble;
  for (let j = 0; j < elements; j++) {
    let sc = firstScore;
    if (!single) { parseDouble(argPtr(si + j * 2), argLen(si + j * 2)); sc = parsedDouble; }
    const out = zsetAdd(zs, sc, argPtr(si + 1 + j * 2), argLen(si + 1 + j * 2), flags);
    if (out & ZOUT_NAN) {
      writeError(ERR_NAN);
      addDirty(<u64>(added + updated));
      if (added + updated != 0) zsetModified(argPtr(1), argLen(1), incr ? "zincr" : "zadd");
      return;
    }
    if (out & ZOUT_OOM) { writeError(ERR_OOM); addDirty(<u64>(added + updated)); dropIfEmpty(1, zs); return; }
    if (out & ZOUT_ADDED) added++;
    if (out & ZOUT_UPDATED) updated++;
    if (!(out & ZOUT_NOP)) { processed++; score = zNewScore; }
  }
  addDirty(<u64>(added + updated));
  if (incr) { if (processed != 0) writeScore(score); else writeNull(); }
  else writeInt(ch ? added + updated : added);
  if (added + updated != 0) zsetModified(argPtr(1), argLen(1), incr ? "zincr" : "zadd");
}

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
export function zaddCommand(): void { zaddGeneric(0); }
/** ZINCRBY key increment member */
export function zincrbyCommand(): void { zaddGeneric(ZADD_INCR); }

// ─── simple reads and ZREM ──────────────────────────────────────────────────────────────────

/** ZREM key member [member ...] */
export function zremCommand(): void {
  const r = zsetAt(1, false);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const zs = <usize>r;
  let deleted: i64 = 0;
  let keyRemoved = false;
  for (let j = 2; j < cmdArgc; j++) {
    if (zsetDelete(zs, argPtr(j), argLen(j))) deleted++;
    if (zsetLength(zs) == 0) { deleteKey(curDb, argPtr(1), argLen(1)); keyRemoved = true; break; }
  }
  if (deleted > 0) {
    notifyKeyspaceEvent(NOTIFY_ZSET, "zrem", argPtr(1), argLen(1), curDb);
    if (keyRemoved) delEvent(argPtr(1), argLen(1));
    signalModifiedKey(curDb, argPtr(1), argLen(1));
  }
  addDirty(<u64>deleted);
  writeInt(deleted);
}

/** ZCARD key */
export function zcardCommand(): void {
  const r = zsetAt(1, true);
  if (r < 0) return;
  writeInt(r == 0 ? 0 : <i64>zsetLength(<usize>r));
}

/** ZCOUNT key min max */
export function zcountCommand(): void {
  if (!parseScoreRange(2, 3)) return;
  const r = zsetAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  writeInt(zsetCountInScoreRange(<usize>r));
}

/** ZLEXCOUNT key min max */
export function zlexcountCommand(): void {
  if (!parseLexRange(2, 3)) return;
  const r = zsetAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  writeInt(zsetCountInLexRange(<usize>r));
}

/** ZSCORE key member */
export function zscoreCommand(): void {
  const r = zsetAt(1, true);
  if (r < 0) return;
  if (r == 0 || !zsetScore(<usize>r, argPtr(2), argLen(2))) { writeNull(); return; }
  writeScore(zScore);
}

/** ZMSCORE key member [member ...] */
export function zmscoreCommand(): void {
  const r = zsetAt(1, true);
  if (r < 0) return;
  writeArrayLen(cmdArgc - 2);
  for (let j = 2; j < cmdArgc; j++) {
    if (r == 0 || !zsetScore(<usize>r, argPtr(j), argLen(j))) writeNull();
    else writeScore(zScore);
  }
}

/** ZRANK / ZREVRANK body. */
function zrankGeneric(reverse: bool): void {
  const r = zsetAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeNull(); return; }
  const rank = zsetRank(<usize>r, argPtr(2), argLen(2), reverse);
  if (rank >= 0) writeInt(rank); else writeNull();
}

/** ZRANK key member */
export function zrankCommand(): void { zrankGeneric(false); }
/** ZREVRANK key member */
export function zrevrankCommand(): void { zrankGeneric(true); }

// ─── ZRANGE family ──────────────────────────────────────────────────────────────────────────
// One generic parser (zrangeGeneric) and three range walkers writing through a "sink": the
// client reply (ZRANGE & co.) or a new zset (ZRANGESTORE), as Redis's zrange_result_handler.

const RANGE_AUTO = 0, RANGE_RANK = 1, RANGE_SCORE = 2, RANGE_LEX = 3;
const DIR_AUTO = 0, DIR_FORWARD = 1, DIR_REVERSE = 2;

let sinkStore = false;
let sinkDstArg: i32 = 0;
let sinkDst: usize = 0;
let sinkOom = false;
let sinkWithScores = false;
let sinkDeferred = false;
let sinkMark: usize = 0;

/** Begin the result; `length` when known in advance, -1 otherwise. */
function sinkBegin(length: i64): void {
  if (sinkStore) {
    sinkDst = zsetNew(true);
    sinkOom = sinkDst == 0;
    return;
  }
  if (length > 0) {
    sinkDeferred = false;
    writeArrayLen(sinkWithScores && proto == 2 ? length * 2 : length);
  } else {
    sinkDeferred = true;
    sinkMark = outLen;
  }
}

function sinkEmit(m: usize, mlen: usize, score: f64): void {
  if (sinkStore) {
    if (!sinkOom && (zsetAdd(sinkDst, score, m, mlen, 0) & ZOUT_OOM) != 0) sinkOom = true;
    return;
  }
  if (sinkWithScores && proto == 3) writeArrayLen(2);
  writeBulk(m, mlen);
  if (sinkWithScores) writeScore(score);
}

function sinkFinalize(count: i64): void {
  if (sinkStore) {
    if (sinkOom) { if (sinkDst != 0) zsetFree(sinkDst); writeError(ERR_OOM); return; }
    const k = argPtr(sinkDstArg), kl = argLen(sinkDstArg);
    if (count > 0) {
      if (!storeZset(k, kl, sinkDst)) { writeError(ERR_OOM); return; }
      writeInt(count);
      addDirty(1);
      zsetModified(k, kl, "zrangestore");
    } else {
      zsetFree(sinkDst);
      writeInt(0);
      if (deleteKey(curDb, k, kl)) { addDirty(1); storeDeleted(k, kl); }
    }
    return;
  }
  if (sinkDeferred) deferredArrayLen(sinkMark, sinkWithScores && proto == 2 ? count * 2 : count);
}

/** ZRANGE by rank: start/end as given (negative from the end). */
function rangeByRank(zs: usize, start: i64, end: i64, reverse: bool): void {
  const llen = <i64>zsetLength(zs);
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) { sinkBegin(0); sinkFinalize(0); return; }
  if (end >= llen) end = llen - 1;
  const n = end - start + 1;
  if (!iterAtRank(zs, start, reverse)) { writeError(ERR_OOM); return; }
  sinkBegin(n);
  for (let i: i64 = 0; i < n && iterValid(); i++) {
    sinkEmit(iterMember(), iterMemberLen(), iterScore());
    iterNext();
  }
  sinkFinalize(n);
}

/** ZRANGEBYSCORE & co.: the range spec is set; offset/limit as Redis (negative offset: nothing). */
function rangeByScore(zs: usize, offset: i64, limit: i64, reverse: bool): void {
  if (!iterAtScoreRange(zs, reverse)) { writeError(ERR_OOM); return; }
  sinkBegin(-1);
  if (offset > 0 && offset >= <i64>zsetLength(zs)) { sinkFinalize(0); return; }
  while (iterValid() && offset != 0) { offset--; iterNext(); }
  let n: i64 = 0;
  while (iterValid() && limit != 0) {
    limit--;
    const s = iterScore();
    if (reverse ? !valueGteMin(s) : !valueLteMax(s)) break;
    sinkEmit(iterMember(), iterMemberLen(), s);
    n++;
    iterNext();
  }
  sinkFinalize(n);
}

/** ZRANGEBYLEX & co.: the lex spec is set. */
function rangeByLex(zs: usize, offset: i64, limit: i64, reverse: bool): void {
  if (!iterAtLexRange(zs, reverse)) { writeError(ERR_OOM); return; }
  sinkBegin(-1);
  while (iterValid() && offset != 0) { offset--; iterNext(); }
  let n: i64 = 0;
  while (iterValid() && limit != 0) {
    limit--;
    const m = iterMember(), ml = iterMemberLen();
    if (reverse ? !lexGteMin(m, ml) : !lexLteMax(m, ml)) break;
    sinkEmit(m, ml, iterScore());
    n++;
    iterNext();
  }
  sinkFinalize(n);
}

/**
 * Redis's zrangeGenericCommand: <src> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT o c]
 * starting at argument `ks`; `store` for ZRANGESTORE (destination at argument 1).
 */
function zrangeGeneric(ks: i32, store: bool, rangeType: i32, direction: i32): void {
  let minIdx = ks + 1, maxIdx = ks + 2;
  let withScores = false;
  let offset: i64 = 0, limit: i64 = -1;
  for (let j = ks + 3; j < cmdArgc; j++) {
    const left = cmdArgc - j - 1;
    if (!store && argIsCStr(j, "withscores")) withScores = true;
    else if (argIsCStr(j, "limit") && left >= 2) {
      if (!argI64(j + 1)) return;
      offset = argValue;
      if (!argI64(j + 2)) return;
      limit = argValue;
      j += 2;
    } else if (direction == DIR_AUTO && argIsCStr(j, "rev")) direction = DIR_REVERSE;
    else if (rangeType == RANGE_AUTO && argIsCStr(j, "bylex")) rangeType = RANGE_LEX;
    else if (rangeType == RANGE_AUTO && argIsCStr(j, "byscore")) rangeType = RANGE_SCORE;
    else { writeError(ERR_SYNTAX); return; }
  }
  if (direction == DIR_AUTO) direction = DIR_FORWARD;
  if (rangeType == RANGE_AUTO) rangeType = RANGE_RANK;
  if (limit != -1 && rangeType == RANGE_RANK) {
    writeError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return;
  }
  if (withScores && rangeType == RANGE_LEX) {
    writeError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return;
  }
  const reverse = direction == DIR_REVERSE;
  if (reverse && rangeType != RANGE_RANK) { const t = maxIdx; maxIdx = minIdx; minIdx = t; }
  let start: i64 = 0, end: i64 = 0;
  if (rangeType == RANGE_RANK) {
    if (!argI64(minIdx)) return;
    start = argValue;
    if (!argI64(maxIdx)) return;
    end = argValue;
  } else if (rangeType == RANGE_SCORE) {
    if (!parseScoreRange(minIdx, maxIdx)) return;
  } else if (!parseLexRange(minIdx, maxIdx)) return;
  sinkStore = store;
  sinkDstArg = 1;
  sinkWithScores = withScores || store;
  sinkOom = false;
  sinkDst = 0;
  const r = zsetAt(ks, true);
  if (r < 0) return;
  if (r == 0) {
    if (store) { sinkBegin(-1); sinkFinalize(0); } else writeArrayLen(0);
    return;
  }
  const zs = <usize>r;
  if (rangeType == RANGE_RANK) rangeByRank(zs, start, end, reverse);
  else if (rangeType == RANGE_SCORE) rangeByScore(zs, offset, limit, reverse);
  else rangeByLex(zs, offset, limit, reverse);
}

/** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
export function zrangeCommand(): void { zrangeGeneric(1, false, RANGE_AUTO, DIR_AUTO); }
/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
export function zrangestoreCommand(): void { zrangeGeneric(2, true, RANGE_AUTO, DIR_AUTO); }
/** ZREVRANGE key start stop [WITHSCORES] */
export function zrevrangeCommand(): void { zrangeGeneric(1, false, RANGE_RANK, DIR_REVERSE); }
/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
export function zrangebyscoreCommand(): void { zrangeGeneric(1, false, RANGE_SCORE, DIR_FORWARD); }
/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
export function zrevrangebyscoreCommand(): void { zrangeGeneric(1, false, RANGE_SCORE, DIR_REVERSE); }
/** ZRANGEBYLEX key min max [LIMIT offset count] */
export function zrangebylexCommand(): void { zrangeGeneric(1, false, RANGE_LEX, DIR_FORWARD); }
/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
export function zrevrangebylexCommand(): void { zrangeGeneric(1, false, RANGE_LEX, DIR_REVERSE); }

// ─── ZREMRANGEBY* ───────────────────────────────────────────────────────────────────────────

function zremrangeGeneric(rangeType: i32): void {
  let start: i64 = 0, end: i64 = 0;
  if (rangeType == RANGE_RANK) {
    if (!argI64(2)) return;
    start = argValue;
    if (!argI64(3)) return;
    end = argValue;
  } else if (rangeType == RANGE_SCORE) {
    if (!parseScoreRange(2, 3)) return;
  } else if (!parseLexRange(2, 3)) return;
  const r = zsetAt(1, false);
  if (r < 0) return;
  if (r == 0) { writeInt(0); return; }
  const zs = <usize>r;
  let deleted: u32 = 0;
  if (rangeType == RANGE_RANK) {
    const llen = <i64>zsetLength(zs);
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) { writeInt(0); return; }
    if (end >= llen) end = llen - 1;
    deleted = zsetDeleteRangeByRank(zs, start, end);
  } else if (rangeType == RANGE_SCORE) deleted = zsetDeleteRangeByScore(zs);
  else deleted = zsetDeleteRangeByLex(zs);
  if (deleted > 0) {
    zsetModified(argPtr(1), argLen(1),
      rangeType == RANGE_RANK ? "zremrangebyrank" : rangeType == RANGE_SCORE ? "zremrangebyscore" : "zremrangebylex");
    if (zsetLength(zs) == 0) { deleteKey(curDb, argPtr(1), argLen(1)); delEvent(argPtr(1), argLen(1)); }
  }
  addDirty(<u64>deleted);
  writeInt(<i64>deleted);
}

/** ZREMRANGEBYRANK key start stop */
export function zremrangebyrankCommand(): void { zremrangeGeneric(RANGE_RANK); }
/** ZREMRANGEBYSCORE key min max */
export function zremrangebyscoreCommand(): void { zremrangeGeneric(RANGE_SCORE); }
/** ZREMRANGEBYLEX key min max */
export function zremrangebylexCommand(): void { zremrangeGeneric(RANGE_LEX); }

// ─── pops ───────────────────────────────────────────────────────────────────────────────────

/**
 * Pop up to `count` members from the low (or high, `max`) end of zset zs at key [k, klen), and
 * reply as Redis's genericZpopCommand does:
 *   !nested, !emitKey: flat [m, s, m, s …]        (ZPOPMIN/ZPOPMAX; RESP3 without count too)
 *   nested,  !emitKey: [[m, s], …]                (ZPOPMIN/ZPOPMAX with count in RESP3)
 *   !nested, emitKey:  [key, m, s, …]             (BZPOPMIN/BZPOPMAX)
 *   nested,  emitKey:  [key, [[m, s], …]]         (ZMPOP/BZMPOP, RESP2 and RESP3)
 * Deletes the key when it becomes empty. Returns the number popped.
 */
function popAndReply(zs: usize, k: usize, klen: usize, max: bool, count: i64, emitKey: bool, nested: bool): i64 {
  const llen = <i64>zsetLength(zs);
  const n = count > llen ? llen : count;
  if (!nested && !emitKey) writeArrayLen(n * 2);
  else if (nested && !emitKey) writeArrayLen(n);
  else if (!nested && emitKey) { writeArrayLen(n * 2 + 1); writeBulk(k, klen); }
  else { writeArrayLen(2); writeBulk(k, klen); writeArrayLen(n); }
  // Redis publishes the pop event between the reply's header (and key) and its elements
  if (n > 0) zsetModified(k, klen, max ? "zpopmax" : "zpopmin");
  for (let i: i64 = 0; i < n; i++) {
    zsetEdge(zs, max);
    if (nested) writeArrayLen(2);
    writeBulk(randMember, randMemberLen);
    writeScore(randScore);
    // the reply holds a copy of the member bytes: now the member can go
    zsetDelete(zs, randMember, randMemberLen);
    addDirty(1);
  }
  if (zsetLength(zs) == 0) { deleteKey(curDb, k, klen); delEvent(k, klen); }
  return n;
}

/**
 * Redis's genericZpopCommand over key arguments [first, first + nkeys): the first existing key
 * is used (WRONGTYPE if it is not a zset). count -1: a single pop.
 */
function zpopGeneric(first: i32, nkeys: i32, max: bool, emitKey: bool, count: i64, nested: bool, nilWhenEmpty: bool): void {
  let zs: usize = 0;
  let ki = first;
  for (; ki < first + nkeys; ki++) {
    const r = zsetAt(ki, false);
    if (r < 0) return;
    if (r != 0) { zs = <usize>r; break; }
  }
  if (zs == 0) { if (nilWhenEmpty) writeNullArray(); else writeArrayLen(0); return; }
  if (count == 0) { writeArrayLen(0); return; }
  if (count == -1) count = 1;
  popAndReply(zs, argPtr(ki), argLen(ki), max, count, emitKey, nested);
}

/** ZPOPMIN / ZPOPMAX key [count] */
function zpopMinMax(max: bool): void {
  if (cmdArgc > 3) { writeError(ERR_SYNTAX); return; }
  let count: i64 = -1;
  if (cmdArgc == 3) {
    if (!argLongInRange(2, 0, ERR_POSITIVE)) return;
    count = parsedI64;
  }
  zpopGeneric(1, 1, max, false, count, proto == 3 && count != -1, false);
}

/** ZPOPMIN key [count] */
export function zpopminCommand(): void { zpopMinMax(false); }
/** ZPOPMAX key [count] */
export function zpopmaxCommand(): void { zpopMinMax(true); }

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
export function zmpopCommand(): void { zmpopGeneric(1, false); }

/** ZMPOP / BZMPOP body; numkeys is argument ni (1 for ZMPOP, 2 for BZMPOP, after its timeout). */
function zmpopGeneric(ni: i32, block: bool): void {
  if (!argLongInRange(ni, 1, "ERR numkeys should be greater than 0")) return;
  const numkeys = parsedI64;
  // MIN|MAX follows the keys (compared without forming ni + 1 + numkeys, which can overflow)
  if (numkeys >= <i64>(cmdArgc - ni - 1)) { writeError(ERR_SYNTAX); return; }
  const whereIdx = <i64>ni + numkeys + 1;
  let max: bool;
  if (argIsCStr(<i32>whereIdx, "min")) max = false;
  else if (argIsCStr(<i32>whereIdx, "max")) max = true;
  else { writeError(ERR_SYNTAX); return; }
  let count: i64 = -1;
  for (let j = <i32>whereIdx + 1; j < cmdArgc; j++) {
    const more = cmdArgc - 1 - j;
    if (count == -1 && argIsCStr(j, "count") && more > 0) {
      j++;
      if (!argLongInRange(j, 1, "ERR count should be greater than 0")) return;
      count = parsedI64;
    } else { writeError(ERR_SYNTAX); return; }
  }
  if (count == -1) count = 1;
  if (!block) { zpopGeneric(ni + 1, <i32>numkeys, max, true, count, true, true); return; }
  // BZMPOP reads its timeout (argument 1) only now, after numkeys, MIN|MAX and COUNT, as Redis
  if (!argTimeout(1)) return;
  blockingZpop(ni + 1, <i32>numkeys, max, count, true, CMD_BZMPOP);
}

// ─── blocking variants (see ../blocking.ts for how waits are queued and served) ──────────────

/**
 * BZPOPMIN / BZPOPMAX / BZMPOP after their arguments are parsed: pop from the first of key
 * arguments [first, first + nkeys) that holds members, or wait on all of them. In serve mode only
 * the key being served is tried, and a key of another type is passed over silently (Redis 7.0).
 */
function blockingZpop(first: i32, nkeys: i32, max: bool, count: i64, nested: bool, cmd: i32): void {
  for (let k = first; k < first + nkeys; k++) {
    if (!isServingKey(k)) continue;
    const r = zsetPopForBlocked(argPtr(k), argLen(k), max, count, nested, !serving);
    if (r < 0 && !serving) return;
    if (r > 0) { markServed(); return; }
  }
  if (serving) return;
  if (!blockCurrent(cmd, first, nkeys, argTimeoutMs)) writeError(ERR_OOM);
}

/** BZPOPMIN / BZPOPMAX key [key ...] timeout */
function bzpopMinMax(max: bool, cmd: i32): void {
  if (!argTimeout(cmdArgc - 1)) return;
  blockingZpop(1, cmdArgc - 2, max, 1, false, cmd);
}

/** BZPOPMIN key [key ...] timeout */
export function bzpopminCommand(): void { bzpopMinMax(false, CMD_BZPOPMIN); }
/** BZPOPMAX key [key ...] timeout */
export function bzpopmaxCommand(): void { bzpopMinMax(true, CMD_BZPOPMAX); }

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
export function bzmpopCommand(): void { zmpopGeneric(2, true); }

/**
 * For BZPOPMIN / BZPOPMAX / BZMPOP (blocking.ts runs a waiter's command again for a ready key):
 * pop from the sorted set at key [k, klen) of the current database and reply as those commands
 * do, i.e. as Redis's genericZpopCommand with the key emitted —
 *   BZPOPMIN/BZPOPMAX: nested = false, count = 1  → [key, member, score]
 *   BZMPOP:            nested = true,  count ≥ 1  → [key, [[member, score], …]]
 * (scores are RESP3 doubles / RESP2 bulk strings). Counts dirty and deletes the key when it
 * empties. Returns the number popped: 0 when the key is missing or empty (nothing written), -1
 * when it holds another type — WRONGTYPE is written only if `replyWrongType` (a first attempt;
 * in serve mode Redis ignores keys of other types).
 *
 * A BZPOPMIN in the style of lists.ts's blockingPop: parse the timeout (argTimeout), then for
 * each key argument k with isServingKey(k): r = zsetPopForBlocked(argPtr(k), argLen(k), false,
 * 1, false, !serving); r < 0 && !serving → return; r > 0 → markServed(), return; finally (not
 * serving) blockCurrent(…). BZMPOP parses like ZMPOP (zmpopCommand).
 */
export function zsetPopForBlocked(k: usize, klen: usize, max: bool, count: i64, nested: bool, replyWrongType: bool): i64 {
  const e = lookup(curDb, k, klen);
  if (e == 0) return 0;
  if (entryType(e) != T_ZSET) { if (replyWrongType) writeError(ERR_WRONGTYPE); return -1; }
  const zs = entryObj(e);
  if (zsetLength(zs) == 0) return 0;
  return popAndReply(zs, k, klen, max, count < 1 ? 1 : count, true, nested);
}

// ─── ZRANDMEMBER ────────────────────────────────────────────────────────────────────────────

/** One member of a ZRANDMEMBER reply. */
function randReply(m: usize, mlen: usize, score: f64, withScores: bool): void {
  if (withScores && proto == 3) writeArrayLen(2);
  writeBulk(m, mlen);
  if (withScores) writeScore(score);
}

/** ZRANDMEMBER key count [WITHSCORES] (Redis's zrandmemberWithCountCommand). */
function zrandmemberWithCount(l: i64, withScores: bool): void {
  const r = zsetAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeArrayLen(0); return; }
  const zs = <usize>r;
  const size = <i64>zsetLength(zs);
  let count: i64 = l, uniq = true;
  if (l < 0) { count = -l; uniq = false; }
  if (count == 0) { writeArrayLen(0); return; }
  // CASE 1: repetitions allowed (or a single member): independent draws
  if (!uniq || count == 1) {
    writeArrayLen(withScores && proto == 2 ? count * 2 : count);
    for (let i: i64 = 0; i < count; i++) {
      zsetRandom(zs);
      randReply(randMember, randMemberLen, randScore, withScores);
    }
    return;
  }
  const n = count < size ? count : size;
  writeArrayLen(withScores && proto == 2 ? n * 2 : n);
  // CASE 2: the whole zset, from the highest member down (Redis walks it backwards)
  if (count >= size) {
    if (!iterFromTop(zs)) { writeError(ERR_OOM); return; }
    while (iterValid()) { randReply(iterMember(), iterMemberLen(), iterScore(), withScores); iterNext(); }
    return;
  }
  if (zsetEncoding(zs) != ZENC_LISTPACK && count * 3 <= size) {
    // CASE 4 (large zset, few members wanted): draw until `count` distinct members were seen
    const seen = dictNew();
    if (seen == 0) { writeError(ERR_OOM); return; }
    let added: i64 = 0;
    while (added < count) {
      zsetRandom(zs);
      if (dictFind(seen, randMember, randMemberLen) != 0) continue;
      if (dictAdd(seen, randMember, randMemberLen, 0, 0) == 0) { dictFree(seen); writeError(ERR_OOM); return; }
      added++;
      randReply(randMember, randMemberLen, randScore, withScores);
    }
    dictFree(seen);
    return;
  }
  // CASE 3 (and small listpacks): a random subset of the positions, by a partial shuffle
  const picks = alloc(<usize>size << 2);
  if (picks == 0) { writeError(ERR_OOM); return; }
  for (let i: i64 = 0; i < size; i++) store<u32>(picks + (<usize>i << 2), <u32>i);
  for (let i: i64 = 0; i < count; i++) {
    const j = i + <i64>(randomU32() % <u32>(size - i));
    const t = load<u32>(picks + (<usize>i << 2));
    store<u32>(picks + (<usize>i << 2), load<u32>(picks + (<usize>j << 2)));
    store<u32>(picks + (<usize>j << 2), t);
  }
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    iterAtRank(zs, 0, false); // builds the member index
    for (let i: i64 = 0; i < count; i++) {
      const p = load<u32>(picks + (<usize>i << 2));
      randReply(packIndexMember(p), packIndexMemberLen(p), packIndexScore(p), withScores);
    }
  } else {
    // mark the picked ranks, then walk the list once
    const marks = alloc(<usize>size);
    if (marks == 0) { free(picks); writeError(ERR_OOM); return; }
    memory.fill(marks, 0, <usize>size);
    for (let i: i64 = 0; i < count; i++) store<u8>(marks + <usize>load<u32>(picks + (<usize>i << 2)), 1);
    iterAtRank(zs, 0, false);
    for (let i: i64 = 0; iterValid(); i++) {
      if (load<u8>(marks + <usize>i)) randReply(iterMember(), iterMemberLen(), iterScore(), withScores);
      iterNext();
    }
    free(marks);
  }
  free(picks);
}

/** ZRANDMEMBER key [count [WITHSCORES]] */
export function zrandmemberCommand(): void {
  if (cmdArgc >= 3) {
    if (!parseI64(argPtr(2), argLen(2))) { writeError(ERR_NOT_INT); return; }
    const l = parsedI64;
    if (l == -LONG_MAX - 1) {
      writeError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
      return;
    }
    if (cmdArgc > 4 || (cmdArgc == 4 && !argIsCStr(3, "withscores"))) { writeError(ERR_SYNTAX); return; }
    const withScores = cmdArgc == 4;
    // with scores the reply has 2 × count entries: Redis refuses counts whose double overflows
    if (withScores && (l < -(LONG_MAX / 2) || l > LONG_MAX / 2)) { writeError("ERR value is out of range"); return; }
    zrandmemberWithCount(l, withScores);
    return;
  }
  const r = zsetAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeNull(); return; }
  zsetRandom(<usize>r);
  writeBulk(randMember, randMemberLen);
}

// ─── ZSCAN ──────────────────────────────────────────────────────────────────────────────────

/** One ZSCAN element: member and its score text (listpack: as stored; skiplist: %.17Lg). */
function scanEmit(m: usize, ml: usize, score: f64, listpack: bool): void {
  writeBulk(m, ml);
  const n = listpack ? formatDoubleListpack(numBuf(), score) : formatDouble17g(numBuf(), score);
  writeBulk(numBuf(), n);
}

/** ZSCAN key cursor [MATCH pattern] [COUNT count] */
export function zscanCommand(): void {
  if (!parseScanCursor(2)) return;
  const r = zsetAt(1, true);
  if (r < 0) return;
  if (r == 0) { writeEmptyScan(); return; }
  const zs = <usize>r;
  if (!parseScanOptions(3)) return;
  const count = scanOptCount;
  const pat = scanOptPattern, plen = scanOptPatternLen, usePattern = scanOptUsePattern;
  writeArrayLen(2);
  if (zsetEncoding(zs) == ZENC_LISTPACK) {
    // small encodings are returned whole, with cursor 0
    writeBulk(numBuf(), formatI64(numBuf(), 0));
    const mark = outLen;
    let items: i64 = 0;
    iterAtRank(zs, 0, false);
    while (iterValid()) {
      const m = iterMember(), ml = iterMemberLen();
      if (!usePattern || globMatch(pat, plen, m, ml, false)) { scanEmit(m, ml, iterScore(), true); items += 2; }
      iterNext();
    }
    deferredArrayLen(mark, items);
    return;
  }
  // skiplist: walk the dict's buckets from the cursor, as dictScan; each member counts with its
  // score (2 entries) towards COUNT, as Redis's list of keys and values
  const d = zsetDict(zs);
  let cursor = <u32>scanCursor;
  let maxIter = count * 10;
  let gathered: i64 = 0;
  // first pass: find where this call stops; second: reply
  const start = cursor;
  do {
    for (let n = dictScan(d, cursor); n != 0; n = nodeNextInBucket(n)) gathered += 2;
    cursor = dictScanNext(d, cursor);
  } while (cursor != 0 && maxIter-- != 0 && gathered < count);
  const stop = cursor;
  writeBulk(numBuf(), formatI64(numBuf(), <i64>stop));
  const mark = outLen;
  let items: i64 = 0;
  cursor = start;
  do {
    for (let n = dictScan(d, cursor); n != 0; n = nodeNextInBucket(n)) {
      const m = nodeKey(n), ml = nodeKeyLen(n);
      if (!usePattern || globMatch(pat, plen, m, ml, false)) { scanEmit(m, ml, load<f64>(nodeVal(n)), false); items += 2; }
    }
    cursor = dictScanNext(d, cursor);
  } while (cursor != stop);
  deferredArrayLen(mark, items);
}

// ─── ZUNION / ZINTER / ZDIFF (and STORE, ZINTERCARD) ────────────────────────────────────────
// Sources are zsets or sets (a set member has score 1; intset members are formatted into the
// first bytes of scratch while walked, see ds/set.ts). Redis sorts the sources by size for
// union and intersection, which fixes the order in which SUM adds the scores: a stable sort
// here gives the same order (glibc's qsort on these few elements is stable too).
//
//  Source table (SRC_SIZE bytes per source, allocated per command)
//  ┌──────────────┬──────────────┬──────────────┬──────────────────┐
//  │ source u32   │ type u32     │ length u32   │ weight f64        │
//  └──────────────┴──────────────┴──────────────┴──────────────────┘
//  0              4              8              12 (unaligned is fine in wasm)

const SRC_SIZE: usize = 20;
const OP_UNION = 0, OP_INTER = 1, OP_DIFF = 2;
const AGG_SUM = 0, AGG_MIN = 1, AGG_MAX = 2;

// A set source's table slot holds its keyspace entry (ds/set.ts works on entries); a zset's holds
// its zset header; a missing key's holds 0.

// @ts-ignore: decorator
@inline function srcObj(t: usize, i: i32): usize { return <usize>load<u32>(t + <usize>i * SRC_SIZE); }
// @ts-ignore: decorator
@inline function srcType(t: usize, i: i32): u32 { return load<u32>(t + <usize>i * SRC_SIZE + 4); }
// @ts-ignore: decorator
@inline function srcLen(t: usize, i: i32): u32 { return load<u32>(t + <usize>i * SRC_SIZE + 8); }
// @ts-ignore: decorator
@inline function srcWeight(t: usize, i: i32): f64 { return load<f64>(t + <usize>i * SRC_SIZE + 12); }

let srcIterIsSet = false;
let srcSetEntry: usize = 0;
let srcSetPos: usize = 0;

/** Start walking source i: zsets from the highest member down (Redis's zuiInitIterator), sets in their own order. */
function srcIterStart(t: usize, i: i32): bool {
  srcIterIsSet = srcType(t, i) == T_SET;
  if (srcIterIsSet) {
    srcSetEntry = srcObj(t, i);
    srcSetPos = setFirst(srcSetEntry);
    if (srcSetPos != 0) setMember(srcSetEntry, srcSetPos);
    return true;
  }
  return iterFromTop(srcObj(t, i));
}
function srcIterValid(): bool { return srcIterIsSet ? srcSetPos != 0 : iterValid(); }
function srcIterMember(): usize { return srcIterIsSet ? memberPtr : iterMember(); }
function srcIterMemberLen(): usize { return srcIterIsSet ? memberLen : iterMemberLen(); }
/** A set member's score is 1. */
function srcIterScore(): f64 { return srcIterIsSet ? 1.0 : iterScore(); }
function srcIterNext(): void {
  if (!srcIterIsSet) { iterNext(); return; }
  srcSetPos = setNext(srcSetEntry, srcSetPos);
  if (srcSetPos != 0) setMember(srcSetEntry, srcSetPos);
}

/** Score of [m, mlen) in source i into zScore; false when absent. */
function srcFind(t: usize, i: i32, m: usize, mlen: usize): bool {
  const obj = srcObj(t, i);
  if (obj == 0) return false;
  if (srcType(t, i) == T_SET) {
    if (!setIsMember(obj, m, mlen)) return false;
    zScore = 1.0;
    return true;
  }
  return zsetScore(obj, m, mlen);
}

// @ts-ignore: decorator
@inline
function aggregate(target: f64, v: f64, agg: i32): f64 {
  if (agg == AGG_SUM) { const s = target + v; return isNaN(s) ? 0.0 : s; }
  if (agg == AGG_MIN) return v < target ? v : target;
  return v > target ? v : target;
}

/** Redis's zunionInterDiffGenericCommand. `dstArg` 0: no destination; `cardOnly`: ZINTERCARD. */
function zsetOpGeneric(dstArg: i32, numkeysIdx: i32, op: i32, cardOnly: bool, name: string): void {
  if (!argI64(numkeysIdx)) return;
  const setnum = argValue;
  if (setnum < 1) { writeErrorLits("ERR at least 1 input key is needed for '", name, "' command"); return; }
  if (setnum > <i64>(cmdArgc - (numkeysIdx + 1))) { writeError(ERR_SYNTAX); return; }
  const n = <i32>setnum;
  const t = alloc(<usize>n * SRC_SIZE);
  if (t == 0) { writeError(ERR_OOM); return; }
  let j = numkeysIdx + 1;
  for (let i = 0; i < n; i++, j++) {
    const e = lookupRead(curDb, argPtr(j), argLen(j));
    const rec = t + <usize>i * SRC_SIZE;
    store<u32>(rec, 0); store<u32>(rec + 4, 0); store<u32>(rec + 8, 0);
    store<f64>(rec + 12, 1.0);
    if (e != 0) {
      const ty = entryType(e);
      if (ty != T_ZSET && ty != T_SET) { free(t); writeError(ERR_WRONGTYPE); return; }
      store<u32>(rec, <u32>(ty == T_ZSET ? entryObj(e) : e));
      store<u32>(rec + 4, ty);
      store<u32>(rec + 8, ty == T_ZSET ? zsetLength(entryObj(e)) : setSize(e));
    }
  }
  let agg = AGG_SUM;
  let withScores = false;
  let limit: i64 = 0;
  let remaining = cmdArgc - j;
  while (remaining > 0) {
    if (op != OP_DIFF && !cardOnly && <i64>remaining >= setnum + 1 && argIsCStr(j, "weights")) {
      j++; remaining--;
      for (let i = 0; i < n; i++, j++, remaining--) {
        if (!parseDouble(argPtr(j), argLen(j))) { free(t); writeError("ERR weight value is not a float"); return; }
        store<f64>(t + <usize>i * SRC_SIZE + 12, parsedDouble);
      }
    } else if (op != OP_DIFF && !cardOnly && remaining >= 2 && argIsCStr(j, "aggregate")) {
      j++; remaining--;
      if (argIsCStr(j, "sum")) agg = AGG_SUM;
      else if (argIsCStr(j, "min")) agg = AGG_MIN;
      else if (argIsCStr(j, "max")) agg = AGG_MAX;
      else { free(t); writeError(ERR_SYNTAX); return; }
      j++; remaining--;
    } else if (remaining >= 1 && dstArg == 0 && !cardOnly && argIsCStr(j, "withscores")) {
      j++; remaining--;
      withScores = true;
    } else if (cardOnly && remaining >= 2 && argIsCStr(j, "limit")) {
      j++; remaining--;
      if (!argLongInRange(j, 0, "ERR LIMIT can't be negative")) { free(t); return; }
      limit = parsedI64;
      j++; remaining--;
    } else { free(t); writeError(ERR_SYNTAX); return; }
  }
  if (op != OP_DIFF) {
    // stable insertion sort by size (small → large)
    const tmpRec = recBuf();
    for (let i = 1; i < n; i++) {
      memory.copy(tmpRec, t + <usize>i * SRC_SIZE, SRC_SIZE);
      const len = load<u32>(tmpRec + 8);
      let k = i - 1;
      while (k >= 0 && srcLen(t, k) > len) {
        memory.copy(t + <usize>(k + 1) * SRC_SIZE, t + <usize>k * SRC_SIZE, SRC_SIZE);
        k--;
      }
      memory.copy(t + <usize>(k + 1) * SRC_SIZE, tmpRec, SRC_SIZE);
    }
  }
  const dst = zsetNew(false);
  if (dst == 0) { free(t); writeError(ERR_OOM); return; }
  let maxLen: usize = 0;
  let cardinality: i64 = 0;
  let oom = false;
  if (op == OP_INTER) {
    if (srcLen(t, 0) > 0) {
      if (!srcIterStart(t, 0)) oom = true;
      while (!oom && srcIterValid()) {
        const m = srcIterMember(), ml = srcIterMemberLen(), s0 = srcIterScore();
        let score = srcWeight(t, 0) * s0;
        if (isNaN(score)) score = 0;
        let k = 1;
        for (; k < n; k++) {
          if (!srcFind(t, k, m, ml)) break;
          score = aggregate(score, zScore * srcWeight(t, k), agg);
        }
        if (k == n) {
          if (cardOnly) {
            cardinality++;
            if (limit != 0 && cardinality >= limit) break;
          } else {
            if ((zsetAdd(dst, score, m, ml, 0) & ZOUT_OOM) != 0) oom = true;
            if (ml > maxLen) maxLen = ml;
          }
        }
        srcIterNext();
      }
    }
  } else if (op == OP_UNION) {
    const acc = dictNew();
    if (acc == 0) oom = true;
    for (let i = 0; i < n && !oom; i++) {
      if (srcLen(t, i) == 0) continue;
      if (!srcIterStart(t, i)) { oom = true; break; }
      while (srcIterValid()) {
        const m = srcIterMember(), ml = srcIterMemberLen();
        let score = srcWeight(t, i) * srcIterScore();
        if (isNaN(score)) score = 0;
        const node = dictFind(acc, m, ml);
        if (node == 0) {
          store<f64>(valBuf(), score);
          if (dictAdd(acc, m, ml, valBuf(), 8) == 0) { oom = true; break; }
          if (ml > maxLen) maxLen = ml;
        } else {
          store<f64>(nodeVal(node), aggregate(load<f64>(nodeVal(node)), score, agg));
        }
        srcIterNext();
      }
    }
    if (acc != 0) {
      for (let node = dictFirst(acc); node != 0 && !oom; node = dictNext(acc, node)) {
        if ((zsetAdd(dst, load<f64>(nodeVal(node)), nodeKey(node), nodeKeyLen(node), 0) & ZOUT_OOM) != 0) oom = true;
      }
      dictFree(acc);
    }
  } else {
    // DIFF: members of the first source found in none of the others, with their own scores
    if (srcLen(t, 0) > 0) {
      if (!srcIterStart(t, 0)) oom = true;
      while (!oom && srcIterValid()) {
        const m = srcIterMember(), ml = srcIterMemberLen();
        let found = false;
        for (let k = 1; k < n; k++) {
          if (srcObj(t, k) == srcObj(t, 0) || srcFind(t, k, m, ml)) { found = true; break; }
        }
        if (!found) {
          if ((zsetAdd(dst, srcIterScore(), m, ml, 0) & ZOUT_OOM) != 0) oom = true;
          if (ml > maxLen) maxLen = ml;
        }
        srcIterNext();
      }
    }
  }
  free(t);
  if (oom) { zsetFree(dst); writeError(ERR_OOM); return; }
  if (dstArg != 0) {
    const k = argPtr(dstArg), kl = argLen(dstArg);
    const len = <i64>zsetLength(dst);
    if (len > 0) {
      zsetMaybeToListpack(dst, maxLen);
      if (!storeZset(k, kl, dst)) { writeError(ERR_OOM); return; }
      writeInt(len);
      addDirty(1);
      zsetModified(k, kl, op == OP_UNION ? "zunionstore" : op == OP_INTER ? "zinterstore" : "zdiffstore");
    } else {
      zsetFree(dst);
      writeInt(0);
      if (deleteKey(curDb, k, kl)) { addDirty(1); storeDeleted(k, kl); }
    }
    return;
  }
  if (cardOnly) { zsetFree(dst); writeInt(cardinality); return; }
  const len = <i64>zsetLength(dst);
  writeArrayLen(withScores && proto == 2 ? len * 2 : len);
  iterAtRank(dst, 0, false);
  while (iterValid()) {
    if (withScores && proto == 3) writeArrayLen(2);
    writeBulk(iterMember(), iterMemberLen());
    if (withScores) writeScore(iterScore());
    iterNext();
  }
  zsetFree(dst);
}

/** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
export function zunionCommand(): void { zsetOpGeneric(0, 1, OP_UNION, false, "zunion"); }
/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
export function zunionstoreCommand(): void { zsetOpGeneric(1, 2, OP_UNION, false, "zunionstore"); }
/** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
export function zinterCommand(): void { zsetOpGeneric(0, 1, OP_INTER, false, "zinter"); }
/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
export function zinterstoreCommand(): void { zsetOpGeneric(1, 2, OP_INTER, false, "zinterstore"); }
/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
export function zintercardCommand(): void { zsetOpGeneric(0, 1, OP_INTER, true, "zintercard"); }
/** ZDIFF numkeys key [key ...] [WITHSCORES] */
export function zdiffCommand(): void { zsetOpGeneric(0, 1, OP_DIFF, false, "zdiff"); }
/** ZDIFFSTORE destination numkeys key [key ...] */
export function zdiffstoreCommand(): void { zsetOpGeneric(1, 2, OP_DIFF, false, "zdiffstore"); }
