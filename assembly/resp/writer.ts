// Reply encoders: every RESP2 and RESP3 type, written into the worker's output buffer.
//
// Owns: the output cursor of the batch being executed (globals below, one set per engine
// instance). Commands call these and never branch on the protocol: the RESP3-only shapes
// (null, map, set, double, boolean, push, verbatim, big number) fall back to their RESP2
// renderings here, as Redis's addReply* helpers do. The buffer grows on demand (realloc in the
// shared heap); the batch loop flushes to the host once it passes OUTPUT_SOFT_LIMIT.

import { realloc } from "../alloc";
import { formatI64 } from "../util/number";

/** Output buffer of the batch in progress. */
export let outPtr: usize = 0;
export let outLen: usize = 0;
export let outCap: usize = 0;
/** Protocol of the connection whose batch is running: 2 or 3. */
export let proto: i32 = 2;
/** Set when the buffer could not grow (memory exhausted); the reply is then truncated. */
export let outOverflow: bool = false;

export function writerBegin(ptr: usize, cap: usize, protocol: i32): void {
  outPtr = ptr; outCap = cap; outLen = 0; proto = protocol; outOverflow = false;
}

/** Switch the protocol replies are written in (serving another client); returns the previous one. */
export function writerSetProto(p: i32): i32 { const old = proto; proto = p; return old; }

/** Cut the output back to its first n bytes (a reply moved elsewhere, see blocking.ts). */
export function writerTruncate(n: usize): void { outLen = n; }

/** Make room for n more bytes; returns false if memory is exhausted. */
export function reserve(n: usize): bool {
  const need = outLen + n;
  if (need <= outCap) return true;
  let cap = outCap << 1;
  if (cap < need) cap = need + 64;
  const p = realloc(outPtr, cap);
  if (p == 0) { outOverflow = true; return false; }
  outPtr = p;
  outCap = cap;
  return true;
}

// @ts-ignore: decorator
@inline
function putByte(b: u32): void { store<u8>(outPtr + outLen, <u8>b); outLen++; }

// @ts-ignore: decorator
@inline
function putCrlf(): void { store<u16>(outPtr + outLen, 0x0A0D); outLen += 2; }

/** Raw bytes, no framing. */
export function writeRaw(p: usize, len: usize): void {
  if (!reserve(len)) return;
  memory.copy(outPtr + outLen, p, len);
  outLen += len;
}

/** Copy an ASCII literal (an AssemblyScript static string) as bytes. */
function putLiteral(s: string): void {
  const p = changetype<usize>(s);
  const n = <usize>s.length;
  for (let i: usize = 0; i < n; i++) store<u8>(outPtr + outLen + i, <u8>load<u16>(p + (i << 1)));
  outLen += n;
}

/** `<prefix><v>\r\n`, e.g. ':42\r\n' or '*3\r\n'. */
function writePrefixed(prefix: u32, v: i64): void {
  if (!reserve(24)) return;
  putByte(prefix);
  outLen += formatI64(outPtr + outLen, v);
  putCrlf();
}

/** +OK */
export function writeOK(): void {
  if (!reserve(5)) return;
  store<u32>(outPtr + outLen, 0x0D4B4F2B); // "+OK\r"
  store<u8>(outPtr + outLen + 4, 0x0A);
  outLen += 5;
}

/** Simple string from a literal: +<s>\r\n */
export function writeSimple(s: string): void {
  if (!reserve(<usize>s.length + 3)) return;
  putByte(0x2B); putLiteral(s); putCrlf();
}

/** Simple string from bytes (caller guarantees no CR/LF). */
export function writeSimpleBytes(p: usize, len: usize): void {
  if (!reserve(len + 3)) return;
  putByte(0x2B); memory.copy(outPtr + outLen, p, len); outLen += len; putCrlf();
}

/** Error reply from a literal that includes its code: -ERR ...\r\n */
export function writeError(s: string): void {
  if (!reserve(<usize>s.length + 3)) return;
  putByte(0x2D); putLiteral(s); putCrlf();
}

/** Error reply made of three literals: -<a><b><c>\r\n */
export function writeErrorLits(a: string, b: string, c: string): void {
  if (!reserve(<usize>(a.length + b.length + c.length) + 3)) return;
  putByte(0x2D); putLiteral(a); putLiteral(b); putLiteral(c); putCrlf();
}

/** Error reply: literal prefix + bytes + literal suffix (for messages that quote arguments). */
export function writeErrorParts(pre: string, p: usize, len: usize, post: string): void {
  if (!reserve(<usize>pre.length + len + <usize>post.length + 3)) return;
  putByte(0x2D); putLiteral(pre);
  for (let i: usize = 0; i < len; i++) {
    // Redis replaces CR/LF in error texts with spaces so the reply stays one line
    const c = load<u8>(p + i);
    store<u8>(outPtr + outLen + i, c == 13 || c == 10 ? 0x20 : c);
  }
  outLen += len;
  putLiteral(post); putCrlf();
}

/** Integer reply. */
export function writeInt(v: i64): void { writePrefixed(0x3A, v); }

/** Bulk string. */
export function writeBulk(p: usize, len: usize): void {
  if (!reserve(len + 16)) return;
  putByte(0x24);
  outLen += formatI64(outPtr + outLen, <i64>len);
  putCrlf();
  memory.copy(outPtr + outLen, p, len);
  outLen += len;
  putCrlf();
}

/** Bulk string holding the decimal form of v. */
export function writeBulkI64(v: i64): void {
  if (!reserve(32)) return;
  const tmp = outPtr + outLen + 8; // format after room for the header, then move into place
  const n = formatI64(tmp, v);
  putByte(0x24);
  outLen += formatI64(outPtr + outLen, <i64>n);
  putCrlf();
  memory.copy(outPtr + outLen, tmp, n);
  outLen += n;
  putCrlf();
}

/** Bulk string from a literal. */
export function writeBulkLiteral(s: string): void {
  const n = <usize>s.length;
  if (!reserve(n + 16)) return;
  putByte(0x24);
  outLen += formatI64(outPtr + outLen, <i64>n);
  putCrlf(); putLiteral(s); putCrlf();
}

/** Null: RESP2 null bulk ($-1), RESP3 null (_). */
export function writeNull(): void {
  if (!reserve(5)) return;
  if (proto == 3) { putByte(0x5F); putCrlf(); }
  else { store<u32>(outPtr + outLen, 0x0D312D24); store<u8>(outPtr + outLen + 4, 0x0A); outLen += 5; }
}

/** Null array: RESP2 *-1, RESP3 _. */
export function writeNullArray(): void {
  if (!reserve(5)) return;
  if (proto == 3) { putByte(0x5F); putCrlf(); }
  else { store<u32>(outPtr + outLen, 0x0D312D2A); store<u8>(outPtr + outLen + 4, 0x0A); outLen += 5; }
}

export function writeArrayLen(n: i64): void { writePrefixed(0x2A, n); }

/** Map header: RESP3 %n, RESP2 array of 2n. */
export function writeMapLen(n: i64): void {
  if (proto == 3) writePrefixed(0x25, n); else writePrefixed(0x2A, n * 2);
}

/** Set header: RESP3 ~n, RESP2 array. */
export function writeSetLen(n: i64): void { writePrefixed(proto == 3 ? 0x7E : 0x2A, n); }

/** Push header: RESP3 >n, RESP2 array. */
export function writePushLen(n: i64): void { writePrefixed(proto == 3 ? 0x3E : 0x2A, n); }

/** Boolean: RESP3 #t/#f, RESP2 integer 1/0. */
export function writeBool(b: bool): void {
  if (!reserve(4)) return;
  if (proto == 3) { putByte(0x23); putByte(b ? 0x74 : 0x66); putCrlf(); }
  else { putByte(0x3A); putByte(b ? 0x31 : 0x30); putCrlf(); }
}

/** Double from its already formatted text: RESP3 ,<text>, RESP2 bulk string. */
export function writeDoubleText(p: usize, len: usize): void {
  if (proto == 3) {
    if (!reserve(len + 3)) return;
    putByte(0x2C); memory.copy(outPtr + outLen, p, len); outLen += len; putCrlf();
  } else writeBulk(p, len);
}

/** Big number from its decimal text: RESP3 (<digits>, RESP2 bulk string. */
export function writeBigNumberText(p: usize, len: usize): void {
  if (proto == 3) {
    if (!reserve(len + 3)) return;
    putByte(0x28); memory.copy(outPtr + outLen, p, len); outLen += len; putCrlf();
  } else writeBulk(p, len);
}

/** Verbatim string: RESP3 =<len+4>\r\n<fmt>:<text>, RESP2 bulk string. fmt is 3 ASCII bytes. */
export function writeVerbatim(p: usize, len: usize, fmt: string): void {
  if (proto != 3) { writeBulk(p, len); return; }
  if (!reserve(len + 24)) return;
  putByte(0x3D);
  outLen += formatI64(outPtr + outLen, <i64>(len + 4));
  putCrlf(); putLiteral(fmt); putByte(0x3A);
  memory.copy(outPtr + outLen, p, len); outLen += len;
  putCrlf();
}

/** Advance the cursor past bytes the caller wrote after reserve(). */
export function advance(n: usize): void { outLen += n; }

/** Raw ASCII literal, no framing. */
export function writeRawLiteral(s: string): void {
  if (!reserve(<usize>s.length)) return;
  putLiteral(s);
}

/** Raw bytes with CR and LF replaced by spaces (user bytes inside an error line). */
export function writeRawSanitized(p: usize, len: usize): void {
  if (!reserve(len)) return;
  for (let i: usize = 0; i < len; i++) {
    const c = load<u8>(p + i);
    store<u8>(outPtr + outLen + i, c == 13 || c == 10 ? 0x20 : c);
  }
  outLen += len;
}
