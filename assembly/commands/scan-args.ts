// Arguments of the collection scans (HSCAN, SSCAN, and ZSCAN later): the cursor, parsed as
// Redis's strtoul-based parser does, and the MATCH / COUNT options with Redis's errors. The
// order of checks is the commands' business: Redis parses the cursor, then looks the key up
// (a missing key answers an empty page even with bad options), then parses the options.

import { argPtr, argLen, argIsCStr, argCStrLen, argI64, argValue, cmdArgc, ERR_SYNTAX } from "./args";
import { writeError, writeArrayLen, writeBulkLiteral } from "../resp/writer";
import { realloc } from "../alloc";
import { dictScan, dictScanNext, nodeNextInBucket } from "../ds/dict";

/** The last cursor parsed by parseScanCursor. */
export let scanCursor: u64 = 0;

/**
 * Parse argument i as a SCAN cursor: an unsigned decimal as strtoul reads it (an optional sign,
 * "" is 0, "-1" wraps around; the C string ends at a NUL byte). Replies "ERR invalid cursor" and
 * returns false otherwise.
 */
export function parseScanCursor(i: i32): bool {
  const cp = argPtr(i), cl = argCStrLen(i);
  let cursor: u64 = 0;
  if (cl > 0) {
    let j: usize = 0;
    let neg = false;
    const c0 = load<u8>(cp);
    if (c0 == 0x2D || c0 == 0x2B) { neg = c0 == 0x2D; j = 1; }
    if (j == cl) { writeError("ERR invalid cursor"); return false; }
    for (; j < cl; j++) {
      const d = <u32>load<u8>(cp + j) - 0x30;
      if (d > 9) { writeError("ERR invalid cursor"); return false; }
      if (cursor > 1844674407370955161 || (cursor == 1844674407370955161 && d > 5)) { writeError("ERR invalid cursor"); return false; }
      cursor = cursor * 10 + d;
    }
    if (neg) cursor = 0 - cursor;
  }
  scanCursor = cursor;
  return true;
}

/** Options parsed by parseScanOptions. */
export let scanOptCount: i64 = 10;
export let scanOptPattern: usize = 0;
export let scanOptPatternLen: usize = 0;
/** False when there is no MATCH or the pattern is "*" (everything matches). */
export let scanOptUsePattern: bool = false;

/** Parse [MATCH pattern] [COUNT count] from argument `from` on; replies and returns false on error. */
export function parseScanOptions(from: i32): bool {
  scanOptCount = 10;
  scanOptUsePattern = false;
  let i = from;
  while (i < cmdArgc) {
    const left = cmdArgc - i;
    // option names compare as C strings (strcasecmp), as in Redis
    if (argIsCStr(i, "count") && left >= 2) {
      if (!argI64(i + 1)) return false;
      scanOptCount = argValue;
      if (scanOptCount < 1) { writeError(ERR_SYNTAX); return false; }
      i += 2;
    } else if (argIsCStr(i, "match") && left >= 2) {
      scanOptPattern = argPtr(i + 1);
      scanOptPatternLen = argLen(i + 1);
      scanOptUsePattern = !(scanOptPatternLen == 1 && load<u8>(scanOptPattern) == 0x2A);
      i += 2;
    } else {
      writeError(ERR_SYNTAX);
      return false;
    }
  }
  return true;
}

/** The reply for a scan of a missing key: cursor 0 and no elements. */
export function writeEmptyScan(): void {
  writeArrayLen(2);
  writeBulkLiteral("0");
  writeArrayLen(0);
}

// ─── the scan loop over a dict ──────────────────────────────────────────────────────────────

/** Nodes collected by collectDictScan (this instance's buffer, reused across calls). */
export let scanNodes: usize = 0;
export let scanNodeCount: u32 = 0;
let scanNodeCap: u32 = 0;

function pushNode(n: usize): bool {
  if (scanNodeCount == scanNodeCap) {
    const cap: u32 = scanNodeCap == 0 ? 64 : scanNodeCap * 2;
    const p = realloc(scanNodes, <usize>cap << 2);
    if (p == 0) return false;
    scanNodes = p;
    scanNodeCap = cap;
  }
  store<u32>(scanNodes + (<usize>scanNodeCount << 2), <u32>n);
  scanNodeCount++;
  return true;
}

/**
 * Redis's scan loop over a dict: visit whole buckets from `cursor` until at least `count` nodes
 * are collected, count × 10 buckets were visited, or the table ends. Collects into scanNodes /
 * scanNodeCount and returns the next cursor (0 = done), or -1 when memory ran out.
 */
export function collectDictScan(d: usize, cursor: u32, count: i64): i64 {
  scanNodeCount = 0;
  let maxIter: i64 = count * 10;
  do {
    for (let n = dictScan(d, cursor); n != 0; n = nodeNextInBucket(n)) if (!pushNode(n)) return -1;
    cursor = dictScanNext(d, cursor);
  } while (cursor != 0 && maxIter-- > 0 && <i64>scanNodeCount < count);
  return <i64>cursor;
}

/** Node i of the last collectDictScan. */
// @ts-ignore: decorator
@inline export function scanNodeAt(i: u32): usize { return <usize>load<u32>(scanNodes + (<usize>i << 2)); }
