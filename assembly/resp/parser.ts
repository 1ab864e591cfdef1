// Incremental RESP request parser, as Redis 7.0's networking.c reads requests.
//
// Owns: turning the bytes of one command into the argument table (pointer, length per argument,
// pointing into the input buffer: no copies). Multibulk (`*N\r\n$len\r\n…`) and inline (telnet)
// forms; a command split anywhere across reads is reported as incomplete together with how many
// bytes it needs, so the host can gather large arguments before calling again (no quadratic
// re-parsing). Error texts are Redis's. Inline arguments are unescaped in place: an inline
// command is parsed exactly once, so rewriting its bytes is safe.

import { realloc } from "../alloc";
import { parseI64, parsedI64 } from "../util/number";

export const P_OK: i32 = 0;
export const P_INCOMPLETE: i32 = 1;
export const P_EMPTY: i32 = 2;
export const P_ERROR: i32 = 3;

export const E_INLINE_TOO_BIG: i32 = 1;
export const E_UNBALANCED_QUOTES: i32 = 2;
export const E_MBULK_COUNT_TOO_BIG: i32 = 3;
export const E_INVALID_MBULK_LEN: i32 = 4;
export const E_BULK_COUNT_TOO_BIG: i32 = 5;
export const E_EXPECTED_DOLLAR: i32 = 6;
export const E_INVALID_BULK_LEN: i32 = 7;
export const E_UNAUTH_MBULK_LEN: i32 = 8;
export const E_UNAUTH_BULK_LEN: i32 = 9;

/** Longest inline request / length line Redis accepts without a newline (PROTO_INLINE_MAX_SIZE). */
const INLINE_MAX: usize = 64 * 1024;

/** Argument table of the command being parsed (owned by the worker region). */
export let argvPtr: usize = 0;
export let argvCap: usize = 0;
export let argc: i32 = 0;
/** Index in the table of this command's first argument (a batch holds several commands). */
export let argBase: usize = 0;
/** After P_OK/P_EMPTY: where the next command starts. After P_INCOMPLETE: bytes needed from pos. */
export let parseEnd: usize = 0;
export let parseNeed: usize = 0;
/** After P_ERROR: E_* code; parseErrByte is the offending byte for E_EXPECTED_DOLLAR. */
export let parseErr: i32 = 0;
export let parseErrByte: u8 = 0;
/** proto-max-bulk-len */
export let maxBulkLen: i64 = 512 * 1024 * 1024;
/** Largest argument count (Redis: INT_MAX). */
export let maxMultibulkLen: i64 = 2147483647;
export function parserSetMaxMultibulkLen(v: i64): void { maxMultibulkLen = v; }

export function parserSetArgv(ptr: usize, cap: usize): void { argvPtr = ptr; argvCap = cap; }
export function parserSetArgBase(base: usize): void { argBase = base; }
export function parserSetMaxBulkLen(v: i64): void { maxBulkLen = v; }

// @ts-ignore: decorator
@inline
export function argPtr(i: i32): usize { return <usize>load<u32>(argvPtr + ((argBase + <usize>i) << 3)); }
// @ts-ignore: decorator
@inline
export function argLen(i: i32): usize { return <usize>load<u32>(argvPtr + ((argBase + <usize>i) << 3), 4); }

function pushArg(p: usize, len: usize): bool {
  if (argBase + <usize>argc >= argvCap) {
    const cap = argvCap << 1;
    const n = realloc(argvPtr, cap << 3);
    if (n == 0) return false;
    argvPtr = n; argvCap = cap;
  }
  const slot = argvPtr + ((argBase + <usize>argc) << 3);
  store<u32>(slot, <u32>p);
  store<u32>(slot, <u32>len, 4);
  argc++;
  return true;
}

/**
 * Find the byte `term` ending the line that starts at p, like Redis's strchr() over the query
 * buffer: a NUL byte first means the line never ends. Redis fails a line once more than 64 KiB
 * are buffered without a terminator; whether a longer line's terminator has arrived depends on
 * read sizes, so it only counts within the first INLINE_MAX + 1 bytes (what Redis answers when
 * bytes arrive slowly). Returns the terminator's address, or `end` when not (yet) found.
 */
function findTerm(p: usize, end: usize, term: u8): usize {
  const limit = end - p > INLINE_MAX + 1 ? p + INLINE_MAX + 1 : end;
  while (p < limit) {
    const c = load<u8>(p);
    if (c == term) return p;
    if (c == 0) return end;
    p++;
  }
  return end;
}

// @ts-ignore: decorator
@inline
function findCR(p: usize, end: usize): usize { return findTerm(p, end, 13); }

function fail(code: i32): i32 { parseErr = code; return P_ERROR; }

/** Parse the command starting at `pos`; `authed` = false applies Redis's pre-auth limits. */
export function parseCommand(buf: usize, pos: usize, end: usize, authed: bool): i32 {
  argc = 0;
  lastWasInline = load<u8>(buf + pos) != 0x2A;
  if (!lastWasInline) return parseMultibulk(buf, pos, end, authed);
  return parseInline(buf, pos, end);
}

/** Whether the last command parsed was inline: its arguments may be unescaped copies. */
export let lastWasInline: bool = false;

function parseMultibulk(buf: usize, start: usize, end: usize, authed: bool): i32 {
  const base = buf;
  let p = base + start;
  const lim = base + end;
  let nl = findCR(p, lim);
  if (nl == lim) {
    if (end - start > INLINE_MAX) return fail(E_MBULK_COUNT_TOO_BIG);
    parseNeed = 0;
    return P_INCOMPLETE;
  }
  if (nl + 2 > lim) { parseNeed = nl + 2 - p; return P_INCOMPLETE; }
  if (!parseI64(p + 1, nl - p - 1) || parsedI64 > maxMultibulkLen) return fail(E_INVALID_MBULK_LEN);
  const count = parsedI64;
  if (count > 10 && !authed) return fail(E_UNAUTH_MBULK_LEN);
  const cmdStart = p;
  p = nl + 2;
  if (count <= 0) { parseEnd = p - base; return P_EMPTY; }
  for (let i: i64 = 0; i < count; i++) {
    nl = findCR(p, lim);
    if (nl == lim) {
      if (lim - p > INLINE_MAX) return fail(E_BULK_COUNT_TOO_BIG);
      parseNeed = 0;
      return P_INCOMPLETE;
    }
    if (nl + 2 > lim) { parseNeed = nl + 2 - cmdStart; return P_INCOMPLETE; }
    const c0 = load<u8>(p);
    if (c0 != 0x24) { parseErrByte = c0; return fail(E_EXPECTED_DOLLAR); }
    if (!parseI64(p + 1, nl - p - 1) || parsedI64 < 0 || parsedI64 > maxBulkLen) return fail(E_INVALID_BULK_LEN);
    const blen = <usize>parsedI64;
    if (blen > 16384 && !authed) return fail(E_UNAUTH_BULK_LEN);
    p = nl + 2;
    if (<u64>(lim - p) < <u64>blen + 2) {
      parseNeed = p + blen + 2 - cmdStart;
      return P_INCOMPLETE;
    }
    if (!pushArg(p, blen)) return fail(E_INVALID_BULK_LEN);
    p += blen + 2;
  }
  parseEnd = p - base;
  return P_OK;
}

// @ts-ignore: decorator
@inline
function isSpace(c: u32): bool { return c == 0x20 || (c >= 9 && c <= 13); }

// @ts-ignore: decorator
@inline
function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return <i32>c - 0x61 + 10;
  return -1;
}

/** Inline command: one line, split like sdssplitargs (quotes and escapes), ends at '\n'. */
function parseInline(buf: usize, start: usize, end: usize): i32 {
  const lineStart = buf + start;
  const lim = buf + end;
  const nl = findTerm(lineStart, lim, 10);
  if (nl == lim) {
    if (end - start > INLINE_MAX) return fail(E_INLINE_TOO_BIG);
    parseNeed = 0;
    return P_INCOMPLETE;
  }
  const next = nl + 1;
  let lineEnd = nl;
  if (lineEnd > lineStart && load<u8>(lineEnd - 1) == 13) lineEnd--;
  // sdssplitargs stops at a NUL byte: the line is a C string to it
  let stop = lineStart;
  while (stop < lineEnd && load<u8>(stop) != 0) stop++;
  let p = lineStart;
  while (true) {
    while (p < stop && isSpace(load<u8>(p))) p++;
    if (p >= stop) break;
    const argStart = p; // unescaped bytes are written from here on (never past the reader)
    let w = p;
    let inDq = false, inSq = false;
    while (true) {
      const c: u32 = p < stop ? load<u8>(p) : 0;
      const c1: u32 = p + 1 < stop ? load<u8>(p + 1) : 0;
      if (inDq) {
        if (c == 0x5C && c1 == 0x78 && p + 3 < stop && hexVal(load<u8>(p + 2)) >= 0 && hexVal(load<u8>(p + 3)) >= 0) {
          store<u8>(w++, <u8>((hexVal(load<u8>(p + 2)) << 4) | hexVal(load<u8>(p + 3))));
          p += 4;
          continue;
        } else if (c == 0x5C && c1 != 0) {
          let o = c1;
          if (c1 == 0x6E) o = 10; else if (c1 == 0x72) o = 13; else if (c1 == 0x74) o = 9;
          else if (c1 == 0x62) o = 8; else if (c1 == 0x61) o = 7;
          store<u8>(w++, <u8>o);
          p += 2;
          continue;
        } else if (c == 0x22) {
          if (c1 != 0 && !isSpace(c1)) return fail(E_UNBALANCED_QUOTES);
          p++;
          break;
        } else if (c == 0) {
          return fail(E_UNBALANCED_QUOTES);
        }
        store<u8>(w++, <u8>c);
        p++;
      } else if (inSq) {
        if (c == 0x5C && c1 == 0x27) { store<u8>(w++, 0x27); p += 2; continue; }
        if (c == 0x27) {
          if (c1 != 0 && !isSpace(c1)) return fail(E_UNBALANCED_QUOTES);
          p++;
          break;
        }
        if (c == 0) return fail(E_UNBALANCED_QUOTES);
        store<u8>(w++, <u8>c);
        p++;
      } else {
        if (c == 0x20 || c == 10 || c == 13 || c == 9 || c == 0) { if (c != 0) p++; break; }
        if (c == 0x22) { inDq = true; p++; continue; }
        if (c == 0x27) { inSq = true; p++; continue; }
        store<u8>(w++, <u8>c);
        p++;
      }
    }
    if (!pushArg(argStart, w - argStart)) return fail(E_INLINE_TOO_BIG);
  }
  parseEnd = next - buf;
  return argc == 0 ? P_EMPTY : P_OK;
}
