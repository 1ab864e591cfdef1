// The batch loop: one call from the host per socket read (DESIGN.md "one crossing per batch").
//
// Owns: the order of work inside a batch. Phase 1 parses every complete command in the input
// and resolves its id, outside the keyspace lock. Phase 2 takes the keyspace lock once and runs
// them in order, encoding replies into the output buffer. A command that the host runs (FLAG_HOST)
// ends the batch: the host executes it, appends its reply and calls run() again after it.
// Nothing here knows a particular command; see commands/dispatch.ts.
//
// Transactions: inside MULTI (RF_MULTI) a command is checked as if it were to run (unknown,
// arity, NOAUTH, no-multi, OOM) and answered +QUEUED instead of run; its request bytes go to the
// client's queue block (transaction.ts, region word W_TXQ). MULTI, DISCARD and EXEC run here; EXEC
// of a queue that holds host commands goes to the host, which replays the queue through run()
// with RF_EXEC while holding the keyspace lock. WATCH QUIT RESET (and DEBUG, checked by the host
// before it is queued) still go to the host, as in Redis they run at once.

import { keyspaceAcquire, keyspaceRelease } from "./lock";
import { headerBase, H_KEYSPACE_LOCK } from "./layout";
import {
  W_IN_PTR, W_OUT_PTR, W_OUT_CAP, W_ARGV_PTR, W_ARGV_CAP, W_CONSUMED, W_OUT_LEN, W_NEED, W_ARGC,
  W_HOST_CMD, W_SCRATCH_PTR, W_DIRTY, W_BATCH_PTR, W_ARG_BASE, W_EXPIRED, W_EVICTED, W_COMMANDS, W_HITS, W_MISSES, MAX_BATCH, BATCH_ENTRY, W_BLOCK_ID, W_BLOCK_TIMEOUT, W_CLIENT_REC, W_LAST_CMD, LAST_CMD_UNKNOWN,
  W_TXQ, W_WATCH_REC,
} from "./worker";
import {
  parseCommand, parserSetArgv, parserSetArgBase, parserSetMaxBulkLen, argvPtr, argvCap, argc,
  parseEnd, parseNeed, parseErr, parseErrByte, argPtr, argLen, P_INCOMPLETE, P_EMPTY, P_ERROR,
  lastWasInline, E_INLINE_TOO_BIG, E_UNBALANCED_QUOTES, E_MBULK_COUNT_TOO_BIG, E_INVALID_MBULK_LEN,
  E_BULK_COUNT_TOO_BIG, E_EXPECTED_DOLLAR, E_UNAUTH_MBULK_LEN, E_UNAUTH_BULK_LEN,
} from "./resp/parser";
import { writerBegin, outPtr, outLen, outCap, writeError, writeErrorParts, reserve } from "./resp/writer";
import * as W from "./resp/writer";
import {
  lookupCommand, lookupSubcommand, commandFlags, commandArityAccepts, FLAG_HOST, FLAG_CONTAINER, FLAG_NO_AUTH, FLAG_DENYOOM,
  FLAG_NO_MULTI, CMD_EXEC, CMD_DISCARD, CMD_MULTI, CMD_WATCH, CMD_DEBUG,
} from "./commands/table.generated";
import { executeCommand } from "./commands/dispatch";
import { txNew, txFree, txFlag, txAppendRaw, txAppendArgs, txReplay, TQ_FLAGS, TQ_ERROR, TQ_DENYOOM, TQ_HOSTCMD } from "./transaction";
import { watchFailed, watchReset } from "./watch";
import { setCommandContext, setScratch, takeDirty, scratch } from "./commands/args";
import { dbAt, setNow, expiredKeys, keyspaceHits, keyspaceMisses } from "./keyspace";
import { configProtoMaxBulkLen, configMaxmemory } from "./config";
import { performEvictions, evictedKeys } from "./evict";
import { setClientContext, setDenyBlocking, blockedId, blockedTimeout, hasReadyKeys, serveReadyKeys } from "./blocking";
import { pubsubBatchBegin, pubsubBatchEnd, monitoring, monitorFeedCommand } from "./pubsub";
import {
  CMD_PING, CMD_QUIT, CMD_RESET, CMD_SUBSCRIBE, CMD_UNSUBSCRIBE, CMD_PSUBSCRIBE, CMD_PUNSUBSCRIBE,
  CMD_SSUBSCRIBE, CMD_SUNSUBSCRIBE, FLAG_SKIP_MONITOR, FLAG_ADMIN, FLAG_WRITE, FLAG_READONLY, FLAG_MAY_REPLICATE,
} from "./commands/table.generated";

export const RUN_DONE: i32 = 0;        // all complete commands ran; need > 0: gather that many bytes
export const RUN_HOST: i32 = 1;        // stopped at a host command (W_HOST_CMD, W_ARG_BASE, W_ARGC)
export const RUN_PROTO_ERROR: i32 = 2; // protocol error reply written: flush, then close the connection
export const RUN_MORE: i32 = 3;        // the batch table was full: call again from W_CONSUMED
export const RUN_BLOCKED: i32 = 4;     // a blocking command waits (W_BLOCK_ID, W_BLOCK_TIMEOUT); see blocking.ts

// run() flags: the connection's state, as the host tracks it (src/engine/session.ts runFlags)
export const RF_AUTHED: i32 = 1;      // authenticated (else only FLAG_NO_AUTH commands run)
export const RF_SUBSCRIBED: i32 = 2;  // RESP2 connection in subscribed mode (pubsub.ts)
export const RF_MULTI: i32 = 4;       // inside MULTI: commands are queued, not run (transactions)
export const RF_MONITOR: i32 = 8;     // a MONITOR connection (keyspace commands are refused, as for replicas)
export const RF_EXEC: i32 = 16;       // replaying a transaction (EXEC): nothing blocks, waiters are served after it

/**
 * Host commands the host still sees inside MULTI: those Redis runs at once there (EXEC DISCARD and
 * MULTI are answered by run() itself), and DEBUG (its queue-time check is the host's).
 */
function handedOverInMulti(id: i32): bool {
  return id == CMD_WATCH || id == CMD_QUIT || id == CMD_RESET || id == CMD_DEBUG;
}

/** Host commands in the table that run() answers itself (EXEC may still go to the host). */
// @ts-ignore: decorator
@inline function answeredByRun(id: i32): bool { return id == CMD_MULTI || id == CMD_EXEC || id == CMD_DISCARD; }

/** Inside MULTI, only these escape the "over maxmemory" refusal that every other command gets. */
function oomExemptInMulti(id: i32): bool {
  return id == CMD_EXEC || id == CMD_DISCARD || id == CMD_QUIT || id == CMD_RESET;
}

// kinds of parsed commands, stored in the batch table's id field when negative
const K_UNKNOWN: i32 = -1;
const K_ARITY: i32 = -2;
const K_UNKNOWN_SUB: i32 = -3;

/** The command or subcommand id the current request names (it exists: its arity was wrong). */
function lookedUp(argc: i32): i32 {
  const id = lookupCommand(argPtr(0), <i32>argLen(0));
  if (id >= 0 && (commandFlags(id) & FLAG_CONTAINER) && argc >= 2) {
    const sub = lookupSubcommand(id, argPtr(1), <i32>argLen(1));
    if (sub >= 0) return sub;
  }
  return id;
}
const K_PROTO_ERROR: i32 = -4;

//  Batch table entry (BATCH_ENTRY = 16 bytes): first arg index u32 · argc u32 · end offset u32 · id i32
//  (run() sets ARGC_INLINE in the argc word of inline commands: their queued form is re-encoded.)
const ARGC_INLINE: u32 = 0x80000000;

/** The transaction of queue q ends (EXEC, DISCARD, refused EXEC): free it, forget the watches. */
function endTransaction(q: usize, watchRec: usize): void {
  if (q != 0) txFree(q);
  if (watchRec != 0) watchReset(watchRec);
}

let batchStatus: i32 = 0;
let batchPos: usize = 0;
let batchNeed: usize = 0;

/**
 * Phase 1: parse complete commands from [pos, end) into the batch table (at most MAX_BATCH),
 * resolving ids when `resolve` is set and stopping after a host command. Returns the count;
 * sets batchStatus, batchPos (first byte not parsed) and batchNeed.
 */
function parsePhase(input: usize, batch: usize, pos: usize, end: usize, authed: bool, resolve: bool, multi: bool): usize {
  let n: usize = 0;
  let base: usize = 0;
  batchNeed = 0;
  batchStatus = RUN_DONE;
  while (pos < end && n < MAX_BATCH) {
    parserSetArgBase(base);
    const st = parseCommand(input, pos, end, authed);
    if (st == P_INCOMPLETE) { batchNeed = parseNeed; break; }
    const rec = batch + n * BATCH_ENTRY;
    if (st == P_ERROR) {
      store<u32>(rec, <u32>base); store<u32>(rec, 0, 4); store<u32>(rec, <u32>pos, 8);
      store<i32>(rec, K_PROTO_ERROR, 12);
      n++;
      batchStatus = RUN_PROTO_ERROR;
      break;
    }
    if (st == P_EMPTY) { pos = parseEnd; continue; }
    // parse-only callers get 1 for inline commands (their arguments may differ from the input
    // bytes after unescaping), 0 for multibulk ones
    let kind: i32 = lastWasInline ? 1 : 0;
    if (resolve) {
      let id = lookupCommand(argPtr(0), <i32>argLen(0));
      kind = id;
      if (id >= 0) {
        if ((commandFlags(id) & FLAG_CONTAINER) && argc >= 2) {
          const sub = lookupSubcommand(id, argPtr(1), <i32>argLen(1));
          if (sub < 0) kind = K_UNKNOWN_SUB; else { id = sub; kind = sub; }
        }
        if (kind >= 0 && !commandArityAccepts(id, argc)) kind = K_ARITY;
      } else kind = K_UNKNOWN;
    }
    store<u32>(rec, <u32>base); store<u32>(rec, <u32>argc | (resolve && lastWasInline ? ARGC_INLINE : 0), 4);
    store<u32>(rec, <u32>parseEnd, 8);
    store<i32>(rec, kind, 12);
    n++;
    base += <usize>argc;
    pos = parseEnd;
    // (MULTI EXEC DISCARD are host commands in the table but run() answers them: see phase 2)
    if (resolve && kind >= 0 && (commandFlags(kind) & FLAG_HOST) && !answeredByRun(kind) && (!multi || handedOverInMulti(kind))) { batchStatus = RUN_HOST; break; }
  }
  batchPos = pos;
  if (batchStatus == RUN_DONE && n == MAX_BATCH && pos < end) batchStatus = RUN_MORE;
  return n;
}

/**
 * Parse only (no execution): the commands in [start, end) go to the batch table and argument
 * table of region w. Returns the number of commands; W_CONSUMED/W_NEED as for run(). When the
 * last entry is a protocol error its id field is negative (see parseErrorCode()).
 */
export function parseOnly(w: usize, start: u32, end: u32, authed: i32): i32 {
  parserSetArgv(<usize>load<u32>(w + W_ARGV_PTR), <usize>load<u32>(w + W_ARGV_CAP));
  parserSetMaxBulkLen(configProtoMaxBulkLen());
  const n = parsePhase(<usize>load<u32>(w + W_IN_PTR), <usize>load<u32>(w + W_BATCH_PTR), <usize>start, <usize>end, authed != 0, false, false);
  store<u32>(w + W_ARGV_PTR, <u32>argvPtr);
  store<u32>(w + W_ARGV_CAP, <u32>argvCap);
  store<u32>(w + W_CONSUMED, <u32>(batchStatus == RUN_PROTO_ERROR ? load<u32>(<usize>load<u32>(w + W_BATCH_PTR) + (n - 1) * BATCH_ENTRY, 8) : <u32>batchPos));
  store<u32>(w + W_NEED, <u32>batchNeed);
  return batchStatus == RUN_PROTO_ERROR ? -(<i32>n) : <i32>n;
}

/** E_* code of the last protocol error, and the offending byte for "expected '$'". */
export function parseErrorCode(): i32 { return parseErr; }
export function parseErrorByte(): i32 { return <i32>parseErrByte; }

/**
 * Parse and execute the commands in input bytes [start, end) of worker region w.
 * db: the connection's selected database; protocol: 2 or 3; flags: the connection's state as
 * RF_* bits (RF_AUTHED clear applies the pre-AUTH protocol limits and NOAUTH); now: the host's
 * clock in ms; client: the connection's CLIENT ID (blocking commands record it).
 */
export function run(w: usize, start: u32, end: u32, db: i32, protocol: i32, flags: i32, now: f64, client: f64): i32 {
  const authed: i32 = flags & RF_AUTHED;
  const input = <usize>load<u32>(w + W_IN_PTR);
  const batch = <usize>load<u32>(w + W_BATCH_PTR);
  parserSetArgv(<usize>load<u32>(w + W_ARGV_PTR), <usize>load<u32>(w + W_ARGV_CAP));
  parserSetMaxBulkLen(configProtoMaxBulkLen());
  setScratch(<usize>load<u32>(w + W_SCRATCH_PTR));

  // ── phase 1: parse, outside the lock ──
  let inMulti = (flags & RF_MULTI) != 0;
  let n = parsePhase(input, batch, <usize>start, <usize>end, authed != 0, true, inMulti);
  let status = batchStatus;
  let pos = batchPos;
  const need = batchNeed;
  store<u32>(w + W_ARGV_PTR, <u32>argvPtr);
  store<u32>(w + W_ARGV_CAP, <u32>argvCap);

  // ── phase 2: execute under the keyspace lock ──
  writerBegin(<usize>load<u32>(w + W_OUT_PTR), <usize>load<u32>(w + W_OUT_CAP), protocol);
  let consumed = pos;
  if (status == RUN_HOST) {
    // the host command is the last one parsed; unless it is refused below (NOAUTH), run()
    // hands it over, and the host resumes after it either way
    consumed = <usize>load<u32>(batch + (n - 1) * BATCH_ENTRY, 8);
    status = RUN_MORE;
  }
  let executed: usize = 0;
  const inExec = (flags & RF_EXEC) != 0;
  store<u32>(w + W_LAST_CMD, 0);
  if (n > 0) {
    setNow(<i64>now);
    const lockAddr = headerBase() + H_KEYSPACE_LOCK;
    keyspaceAcquire(lockAddr);
    const dbAddr = dbAt(db);
    const checkMemory = configMaxmemory() != 0;
    setClientContext(w, client);
    pubsubBatchBegin(client, <usize>load<u32>(w + W_CLIENT_REC));
    const monitored = monitoring();
    setDenyBlocking(inExec);
    let recStart = <usize>start;
    // the running client's transaction queue and WATCH record (set by the host)
    let txq = <usize>load<u32>(w + W_TXQ);
    const watchRec = <usize>load<u32>(w + W_WATCH_REC);
    // arguments of commands replayed by EXEC are parsed past this batch's
    const lastRec = batch + (n - 1) * BATCH_ENTRY;
    const argTop = <usize>load<u32>(lastRec) + <usize>(load<u32>(lastRec, 4) & ~ARGC_INLINE);
    for (let i: usize = 0; i < n; i++) {
      const rec = batch + i * BATCH_ENTRY;
      const recBase = <usize>load<u32>(rec);
      const argcWord = load<u32>(rec, 4);
      const recArgc = <i32>(argcWord & ~ARGC_INLINE);
      const recEnd = <usize>load<u32>(rec, 8);
      const kind = load<i32>(rec, 12);
      const cmdStart = recStart;
      recStart = recEnd;
      parserSetArgBase(recBase);
      setCommandContext(recArgc, db, dbAddr);
      // CLIENT LIST's cmd=: the command Redis looked up for this request, whatever became of it
      if (kind >= 0) store<u32>(w + W_LAST_CMD, <u32>kind + 1);
      else if (kind == K_ARITY) store<u32>(w + W_LAST_CMD, <u32>lookedUp(recArgc) + 1);
      else if (kind != K_PROTO_ERROR) store<u32>(w + W_LAST_CMD, LAST_CMD_UNKNOWN);
      if (kind >= 0 && authed == 0 && !(commandFlags(kind) & FLAG_NO_AUTH)) {
        if (kind == CMD_EXEC) {
          // a refused EXEC ends the transaction and the watches, whether or not one was open
          writeError("EXECABORT Transaction discarded because of: NOAUTH Authentication required.");
          endTransaction(txq, watchRec);
          txq = 0; inMulti = false;
          continue;
        }
        writeError("NOAUTH Authentication required.");
        if (inMulti) txFlag(txq, TQ_ERROR);
      } else if (kind >= 0 && inMulti && (commandFlags(kind) & FLAG_NO_MULTI)) {
        writeError("ERR Command not allowed inside a transaction");
        if (inMulti) txFlag(txq, TQ_ERROR);
      } else if (kind >= 0 && (flags & RF_SUBSCRIBED) && !allowedWhileSubscribed(kind)) {
        writeNotInSubscribedContext(recArgc);
      } else if (kind >= 0 && (flags & RF_MONITOR) && (commandFlags(kind) & (FLAG_WRITE | FLAG_READONLY | FLAG_MAY_REPLICATE))) {
        writeError("ERR Replica can't interact with the keyspace");
      } else if (kind == CMD_PING && (flags & RF_SUBSCRIBED)) {
        // RESP2 subscribed mode: PING answers as a message would, ["pong", argument or ""]
        W.writeArrayLen(2);
        W.writeBulkLiteral("pong");
        if (recArgc > 1) W.writeBulk(argPtr(1), argLen(1)); else W.writeBulkLiteral("");
        if (monitored) monitorFeedCommand(w, now, db);
      } else if (kind >= 0 && checkMemory && !performEvictions() && ((commandFlags(kind) & FLAG_DENYOOM) || (inMulti && !oomExemptInMulti(kind)))) {
        writeError("OOM command not allowed when used memory > 'maxmemory'.");
        if (inMulti) txFlag(txq, TQ_ERROR);
      } else if (kind == CMD_MULTI) {
        // MULTI is answered here (no crossing to the host): a new queue for the client
        if (inMulti) writeError("ERR MULTI calls can not be nested");
        else {
          txq = txNew();
          if (txq == 0) writeError("OOM command not allowed when used memory > 'maxmemory'.");
          else { W.writeOK(); inMulti = true; }
        }
        executed++;
        if (monitored) monitorFeedCommand(w, now, db);
      } else if (kind == CMD_DISCARD) {
        if (!inMulti) writeError("ERR DISCARD without MULTI");
        else {
          endTransaction(txq, watchRec);
          txq = 0; inMulti = false;
          W.writeOK();
        }
        executed++;
        if (monitored) monitorFeedCommand(w, now, db);
      } else if (kind == CMD_EXEC && !(inMulti && (load<u32>(txq + TQ_FLAGS) & TQ_HOSTCMD))) {
        // EXEC here, unless the queue holds host commands (then the host runs it, below)
        if (!inMulti) writeError("ERR EXEC without MULTI");
        else {
          const f = load<u32>(txq + TQ_FLAGS);
          if ((f & TQ_DENYOOM) && checkMemory && !performEvictions()) {
            writeError("EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.");
          } else if (f & TQ_ERROR) {
            writeError("EXECABORT Transaction discarded because of previous errors.");
          } else if (watchRec != 0 && watchFailed(watchRec)) {
            W.writeNullArray();
          } else {
            // unwatch before running: the transaction's own writes must not mark it dirty
            watchReset(watchRec);
            setDenyBlocking(true);
            executed += <usize>txReplay(txq, db, dbAddr, argTop, monitored, w, now);
            setDenyBlocking(false);
          }
          endTransaction(txq, watchRec);
          txq = 0; inMulti = false;
        }
        executed++;
        if (monitored) monitorFeedCommand(w, now, db);
        // clients blocked on keys the transaction filled are served after it, against its result
        if (hasReadyKeys()) serveReadyKeys();
      } else if (kind >= 0 && inMulti && !((commandFlags(kind) & FLAG_HOST) && handedOverInMulti(kind) || kind == CMD_EXEC)) {
        // queued: multibulk requests as they came; inline ones re-encoded (parsing rewrote them)
        const nq = argcWord & ARGC_INLINE ? txAppendArgs(txq, recArgc) : txAppendRaw(txq, input + cmdStart, recEnd - cmdStart);
        if (nq == 0) {
          writeError("OOM command not allowed when used memory > 'maxmemory'.");
          txFlag(txq, TQ_ERROR);
        } else {
          txq = nq;
          if (commandFlags(kind) & FLAG_DENYOOM) txFlag(txq, TQ_DENYOOM);
          if (commandFlags(kind) & FLAG_HOST) txFlag(txq, TQ_HOSTCMD);
          W.writeSimple("QUEUED");
        }
      } else if (kind >= 0) {
        if (commandFlags(kind) & FLAG_HOST) {
          consumed = recEnd; // (not always the last command parsed: EXEC is decided here)
          store<i32>(w + W_HOST_CMD, kind);
          store<u32>(w + W_ARG_BASE, <u32>recBase);
          store<u32>(w + W_ARGC, <u32>recArgc);
          status = RUN_HOST; // counted by the host once it has run (as Redis counts after a command)
          break;
        }
        executeCommand(kind);
        executed++;
        if (monitored && !(commandFlags(kind) & (FLAG_ADMIN | FLAG_SKIP_MONITOR))) monitorFeedCommand(w, now, db);
        if (blockedId != 0) {
          // the client waits: the rest of its input stays with the host until it is served
          store<u32>(w + W_BLOCK_ID, blockedId);
          store<f64>(w + W_BLOCK_TIMEOUT, <f64>blockedTimeout);
          consumed = <usize>load<u32>(rec, 8);
          status = RUN_BLOCKED;
          break;
        }
        // clients blocked on keys this command filled are served before the next command (after
        // the whole transaction inside EXEC: the host calls serveReadyAfterExec)
        if (!inExec && hasReadyKeys()) serveReadyKeys();
      } else if (kind == K_PROTO_ERROR) {
        writeProtocolError();
        consumed = <usize>load<u32>(rec, 8);
      } else {
        if (kind == K_ARITY && lookupCommand(argPtr(0), <i32>argLen(0)) == CMD_EXEC) {
          // a refused EXEC ends the transaction and the watches, whether or not one was open
          writeError("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command");
          endTransaction(txq, watchRec);
          txq = 0; inMulti = false;
          continue;
        }
        if (kind == K_UNKNOWN) writeUnknownCommand(recArgc);
        else if (kind == K_UNKNOWN_SUB) writeUnknownSubcommand();
        else writeArityErrorFor(recArgc);
        if (inMulti) txFlag(txq, TQ_ERROR);
      }
    }
    setDenyBlocking(false);
    store<u32>(w + W_TXQ, <u32>txq);
    pubsubBatchEnd();
    keyspaceRelease(lockAddr);
  }
  store<u32>(w + W_OUT_PTR, <u32>outPtr);
  store<u32>(w + W_OUT_CAP, <u32>outCap);
  store<u32>(w + W_OUT_LEN, <u32>outLen);
  store<u32>(w + W_CONSUMED, <u32>consumed);
  store<u32>(w + W_NEED, <u32>need);
  // EXEC may have grown the argument table
  store<u32>(w + W_ARGV_PTR, <u32>argvPtr);
  store<u32>(w + W_ARGV_CAP, <u32>argvCap);
  store<u64>(w + W_DIRTY, load<u64>(w + W_DIRTY) + takeDirty());
  store<u64>(w + W_EXPIRED, expiredKeys);
  store<u64>(w + W_EVICTED, evictedKeys);
  store<u64>(w + W_HITS, keyspaceHits);
  store<u64>(w + W_MISSES, keyspaceMisses);
  // commands that ran (Redis's total_commands_processed counts executed commands, host ones too)
  store<u64>(w + W_COMMANDS, load<u64>(w + W_COMMANDS) + <u64>executed);
  return status;
}

/** Commands a RESP2 connection in subscribed mode may run. */
function allowedWhileSubscribed(id: i32): bool {
  return id == CMD_PING || id == CMD_QUIT || id == CMD_RESET || id == CMD_SUBSCRIBE || id == CMD_UNSUBSCRIBE ||
    id == CMD_PSUBSCRIBE || id == CMD_PUNSUBSCRIBE || id == CMD_SSUBSCRIBE || id == CMD_SUNSUBSCRIBE;
}

/** ERR Can't execute 'name' (or 'container|sub'): only … are allowed in this context */
function writeNotInSubscribedContext(n: i32): void {
  putAscii("-ERR Can't execute '");
  putCased(argPtr(0), argLen(0), false);
  if (n >= 2 && (commandFlags(lookupCommand(argPtr(0), <i32>argLen(0))) & FLAG_CONTAINER)) {
    putAscii("|");
    putCased(argPtr(1), argLen(1), false);
  }
  putAscii("': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n");
}

function writeProtocolError(): void {
  switch (parseErr) {
    case E_INLINE_TOO_BIG: writeError("ERR Protocol error: too big inline request"); break;
    case E_UNBALANCED_QUOTES: writeError("ERR Protocol error: unbalanced quotes in request"); break;
    case E_MBULK_COUNT_TOO_BIG: writeError("ERR Protocol error: too big mbulk count string"); break;
    case E_INVALID_MBULK_LEN: writeError("ERR Protocol error: invalid multibulk length"); break;
    case E_BULK_COUNT_TOO_BIG: writeError("ERR Protocol error: too big bulk count string"); break;
    case E_EXPECTED_DOLLAR: {
      const b = scratch;
      store<u8>(b, parseErrByte);
      writeErrorParts("ERR Protocol error: expected '$', got '", b, 1, "'");
      break;
    }
    case E_UNAUTH_MBULK_LEN: writeError("ERR Protocol error: unauthenticated multibulk length"); break;
    case E_UNAUTH_BULK_LEN: writeError("ERR Protocol error: unauthenticated bulk length"); break;
    default: writeError("ERR Protocol error: invalid bulk length");
  }
}

/** Copy `len` bytes of p to the output, lower-cased or upper-cased, CR/LF → space. */
function putCased(p: usize, len: usize, upper: bool): void {
  if (!reserve(len)) return;
  const o = outPtr + outLen;
  for (let i: usize = 0; i < len; i++) {
    let c = <u32>load<u8>(p + i);
    if (upper) { if (c >= 0x61 && c <= 0x7A) c -= 32; }
    else if (c >= 0x41 && c <= 0x5A) c += 32;
    if (c == 13 || c == 10) c = 0x20;
    store<u8>(o + i, <u8>c);
  }
  W.advance(len);
}

function putAscii(s: string): void {
  W.writeRawLiteral(s);
}

/** Length up to the first NUL byte: Redis prints these values with %s. */
function cstrLen(p: usize, len: usize): usize {
  for (let i: usize = 0; i < len; i++) if (load<u8>(p + i) == 0) return i;
  return len;
}

/** ERR unknown command 'x', with args beginning with: 'a' 'b' (Redis caps both parts at 128 bytes). */
function writeUnknownCommand(n: i32): void {
  putAscii("-ERR unknown command '");
  const l0 = cstrLen(argPtr(0), argLen(0));
  W.writeRawSanitized(argPtr(0), l0 < 128 ? l0 : 128);
  putAscii("', with args beginning with: ");
  let total: usize = 0;
  for (let i = 1; i < n && total < 128; i++) {
    const room: usize = 128 - total;
    const al = cstrLen(argPtr(i), argLen(i));
    const l = al < room ? al : room;
    putAscii("'");
    W.writeRawSanitized(argPtr(i), l);
    putAscii("' ");
    total += l + 3;
  }
  putAscii("\r\n");
}

/** ERR unknown subcommand 'x'. Try CONTAINER HELP. */
function writeUnknownSubcommand(): void {
  putAscii("-ERR unknown subcommand '");
  const l1 = cstrLen(argPtr(1), argLen(1));
  W.writeRawSanitized(argPtr(1), l1 < 128 ? l1 : 128);
  putAscii("'. Try ");
  putCased(argPtr(0), argLen(0), true);
  putAscii(" HELP.\r\n");
}

/** ERR wrong number of arguments for 'name' command ('container|sub' for subcommands). */
function writeArityErrorFor(n: i32): void {
  putAscii("-ERR wrong number of arguments for '");
  putCased(argPtr(0), argLen(0), false);
  const id = lookupCommand(argPtr(0), <i32>argLen(0));
  if (n >= 2 && (commandFlags(id) & FLAG_CONTAINER)) {
    putAscii("|");
    putCased(argPtr(1), argLen(1), false);
  }
  putAscii("' command\r\n");
}
