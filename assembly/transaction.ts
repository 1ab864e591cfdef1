// Transactions: the commands a client queues between MULTI and EXEC, and EXEC run inside the
// engine (run.ts calls these; the host takes over only for transactions holding host commands).
//
// Owns: the queue block of each client in MULTI (the host keeps its address in the Session and
// hands it to run() through the region word W_TXQ) and replaying a queue at EXEC. Must not
// decide what is queued or refused (run.ts does, as Redis's processCommand); the caller holds
// the keyspace lock.
//
//  Queue block (one allocation per client in MULTI, grows by doubling)          offset
//  ┌─────────────────────────────────────────────────────────────────────────┐
//  │ length u32   bytes of queued commands                                   │ 0
//  │ capacity u32 bytes the block holds after the header                     │ 4
//  │ count u32    commands queued (CLIENT LIST multi=, EXEC's array length)   │ 8
//  │ flags u32    TQ_ERROR · TQ_DENYOOM · TQ_HOSTCMD                          │ 12
//  │ commands as RESP multibulk requests [length]                            │ 16
//  └─────────────────────────────────────────────────────────────────────────┘

import { alloc, free, realloc } from "./alloc";
import {
  parseCommand, parserSetArgBase, argc, argPtr, argLen, parseEnd, P_INCOMPLETE, P_ERROR, P_EMPTY,
} from "./resp/parser";
import {
  lookupCommand, lookupSubcommand, commandFlags, FLAG_CONTAINER, FLAG_ADMIN, FLAG_SKIP_MONITOR,
} from "./commands/table.generated";
import { monitorFeedCommand } from "./pubsub";
import { writeArrayLen } from "./resp/writer";
import { setCommandContext } from "./commands/args";
import { executeCommand } from "./commands/dispatch";

export const TQ_LEN: usize = 0;
export const TQ_CAP: usize = 4;
export const TQ_COUNT: usize = 8;
export const TQ_FLAGS: usize = 12;
export const TQ_DATA: usize = 16;

/** A command was refused while queueing: EXEC answers EXECABORT (same bit as MQ_ERROR). */
export const TQ_ERROR: u32 = 1;
/** A queued command may use memory: EXEC is refused while over maxmemory (same bit as MQ_DENYOOM). */
export const TQ_DENYOOM: u32 = 2;
/** A queued command runs in the host: EXEC goes to the host (src/engine/core.ts). */
export const TQ_HOSTCMD: u32 = 16;

const INITIAL: usize = 240;

/** A new, empty queue (MULTI); 0 when memory is exhausted. */
export function txNew(): usize {
  const q = alloc(TQ_DATA + INITIAL);
  if (q == 0) return 0;
  store<u32>(q + TQ_LEN, 0);
  store<u32>(q + TQ_CAP, <u32>INITIAL);
  store<u32>(q + TQ_COUNT, 0);
  store<u32>(q + TQ_FLAGS, 0);
  return q;
}

/** Set flag bits of queue q. */
// @ts-ignore: decorator
@inline export function txFlag(q: usize, f: u32): void { store<u32>(q + TQ_FLAGS, load<u32>(q + TQ_FLAGS) | f); }

/** Room for `more` bytes at the end of q; returns the (possibly moved) block, 0 when exhausted (q intact). */
function txReserve(q: usize, more: usize): usize {
  const len = <usize>load<u32>(q + TQ_LEN);
  const cap = <usize>load<u32>(q + TQ_CAP);
  if (len + more <= cap) return q;
  let ncap = cap << 1;
  if (ncap < len + more) ncap = len + more;
  const nq = realloc(q, TQ_DATA + ncap);
  if (nq == 0) return 0;
  store<u32>(nq + TQ_CAP, <u32>ncap);
  return nq;
}

/** Queue one command given as request bytes [p, p+n) (a multibulk request); returns the block or 0. */
export function txAppendRaw(q: usize, p: usize, n: usize): usize {
  const nq = txReserve(q, n);
  if (nq == 0) return 0;
  const len = <usize>load<u32>(nq + TQ_LEN);
  memory.copy(nq + TQ_DATA + len, p, n);
  store<u32>(nq + TQ_LEN, <u32>(len + n));
  store<u32>(nq + TQ_COUNT, load<u32>(nq + TQ_COUNT) + 1);
  return nq;
}

/** Decimal digits of n. */
function digits(n: usize): usize {
  let d: usize = 1;
  while (n >= 10) { n /= 10; d++; }
  return d;
}

/** Write "<c><n>\r\n" at p; returns the bytes written. */
function putHeader(p: usize, c: u8, n: usize): usize {
  store<u8>(p, c);
  const d = digits(n);
  let at = p + d;
  let v = n;
  for (let i: usize = 0; i < d; i++) { store<u8>(at, <u8>(0x30 + v % 10)); v /= 10; at--; }
  store<u8>(p + 1 + d, 13);
  store<u8>(p + 2 + d, 10);
  return 3 + d;
}

/**
 * Queue the command whose arguments are the parser's current ones (an inline command: its
 * input bytes were rewritten by parsing), encoded as a multibulk request; returns the block or 0.
 */
export function txAppendArgs(q: usize, n: i32): usize {
  let size: usize = 3 + digits(<usize>n);
  for (let i = 0; i < n; i++) size += 5 + digits(argLen(i)) + argLen(i);
  const nq = txReserve(q, size);
  if (nq == 0) return 0;
  const len = <usize>load<u32>(nq + TQ_LEN);
  let at = nq + TQ_DATA + len;
  at += putHeader(at, 0x2A, <usize>n);
  for (let i = 0; i < n; i++) {
    const l = argLen(i);
    at += putHeader(at, 0x24, l);
    memory.copy(at, argPtr(i), l);
    at += l;
    store<u8>(at, 13);
    store<u8>(at + 1, 10);
    at += 2;
  }
  store<u32>(nq + TQ_LEN, <u32>(len + size));
  store<u32>(nq + TQ_COUNT, load<u32>(nq + TQ_COUNT) + 1);
  return nq;
}

/** Free a queue (EXEC, DISCARD, RESET, disconnect). */
export function txFree(q: usize): void { free(q); }

/**
 * EXEC inside the engine: the array header, then every queued command run in order against db
 * `dbi` (at address dbAddr), with arguments parsed at argument-table index `argBase` and up (past
 * the batch being run). Blocking commands answer at once (the caller denies blocking). Returns
 * the number of commands run; each is fed to MONITOR when `monitored` (region w, clock now).
 */
export function txReplay(q: usize, dbi: i32, dbAddr: usize, argBase: usize, monitored: bool, w: usize, now: f64): i32 {
  const count = <i32>load<u32>(q + TQ_COUNT);
  writeArrayLen(<i64>count);
  const data = q + TQ_DATA;
  const end = <usize>load<u32>(q + TQ_LEN);
  let pos: usize = 0;
  let ran = 0;
  while (pos < end) {
    parserSetArgBase(argBase);
    const st = parseCommand(data, pos, end, true);
    if (st == P_INCOMPLETE || st == P_ERROR) break; // cannot happen: the queue holds whole requests
    pos = parseEnd;
    if (st == P_EMPTY) continue;
    let id = lookupCommand(argPtr(0), <i32>argLen(0));
    if ((commandFlags(id) & FLAG_CONTAINER) && argc >= 2) id = lookupSubcommand(id, argPtr(1), <i32>argLen(1));
    setCommandContext(argc, dbi, dbAddr);
    executeCommand(id);
    ran++;
    if (monitored && !(commandFlags(id) & (FLAG_ADMIN | FLAG_SKIP_MONITOR))) monitorFeedCommand(w, now, dbi);
  }
  return ran;
}
