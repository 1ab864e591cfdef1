// Argument helpers shared by the command families: the current command's arguments, case-
// insensitive option matching, integer arguments with Redis's error replies, and the common
// error texts. State here is per engine instance and per command (set by run.ts).

import { argPtr, argLen } from "../resp/parser";
import { parseI64, parsedI64 } from "../util/number";
import { writeError, writeErrorLits } from "../resp/writer";

export { argPtr, argLen };

/** Number of arguments of the command being executed (including the name). */
export let cmdArgc: i32 = 0;
/** Database index and address of the connection running the command. */
export let curDbIndex: i32 = 0;
export let curDb: usize = 0;
/** This instance's scratch bytes (the worker region's scratch buffer, ≥ 4 KiB). */
export let scratch: usize = 0;
export function setScratch(p: usize): void { scratch = p; }

/** Writes performed by the batch (INFO's dirty counter / persistence later). */
export let dirty: u64 = 0;

export function setCommandContext(argc: i32, dbIndex: i32, db: usize): void {
  cmdArgc = argc; curDbIndex = dbIndex; curDb = db;
}
export function setCurrentDb(dbIndex: i32, db: usize): void { curDbIndex = dbIndex; curDb = db; }
export function addDirty(n: u64): void { dirty += n; }
export function takeDirty(): u64 { const d = dirty; dirty = 0; return d; }

/** Do bytes [p, p+len) equal the ASCII literal `lit` ignoring case? `lit` must be lower-case. */
export function bytesEqualNoCase(p: usize, len: usize, lit: string): bool {
  if (len != <usize>lit.length) return false;
  const l = changetype<usize>(lit);
  for (let j: usize = 0; j < len; j++) {
    let c = <u32>load<u8>(p + j);
    if (c >= 0x41 && c <= 0x5A) c += 32;
    if (c != <u32>load<u16>(l + (j << 1))) return false;
  }
  return true;
}

/** Does argument i equal the ASCII literal `lit` ignoring case? `lit` must be lower-case. */
export function argIs(i: i32, lit: string): bool {
  return bytesEqualNoCase(argPtr(i), argLen(i), lit);
}

/** Length of argument i up to its first NUL byte (where Redis's C-string functions stop). */
export function argCStrLen(i: i32): usize {
  const p = argPtr(i), n = argLen(i);
  for (let j: usize = 0; j < n; j++) if (load<u8>(p + j) == 0) return j;
  return n;
}

/** Does argument i read as a C string (up to its first NUL) equal `lit` ignoring case (strcasecmp)? */
export function argIsCStr(i: i32, lit: string): bool {
  return bytesEqualNoCase(argPtr(i), argCStrLen(i), lit);
}

/** Parsed value of the last successful argI64 call. */
export let argValue: i64 = 0;

/** Parse argument i as a 64-bit integer; on failure replies with Redis's error and returns false. */
export function argI64(i: i32): bool {
  if (!parseI64(argPtr(i), argLen(i))) { writeError(ERR_NOT_INT); return false; }
  argValue = parsedI64;
  return true;
}

/** Parse argument i as a 32-bit int (getIntFromObjectOrReply). */
export function argI32(i: i32): bool {
  if (!parseI64(argPtr(i), argLen(i)) || parsedI64 < -2147483648 || parsedI64 > 2147483647) {
    writeError(ERR_NOT_INT);
    return false;
  }
  argValue = parsedI64;
  return true;
}

export const ERR_NOT_INT = "ERR value is not an integer or out of range";
export const ERR_SYNTAX = "ERR syntax error";
export const ERR_WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
export const ERR_NO_SUCH_KEY = "ERR no such key";
export const ERR_SAME_OBJECT = "ERR source and destination objects are the same";
export const ERR_DB_RANGE = "ERR DB index is out of range";
export const ERR_OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** "ERR wrong number of arguments for '<name>' command" with the name given as a literal. */
export function writeArityError(name: string): void {
  writeErrorLit2("ERR wrong number of arguments for '", name, "' command");
}

/** "ERR invalid expire time in '<name>' command" */
export function writeExpireTimeError(name: string): void {
  writeErrorLit2("ERR invalid expire time in '", name, "' command");
}

/** Error made of three literals (no argument bytes). */
export function writeErrorLit2(a: string, b: string, c: string): void { writeErrorLits(a, b, c); }
