/**
 * EngineCore: one WASM engine instance and its worker region, and the batch loop on the host
 * side of the "one crossing per batch" contract (see assembly/run.ts).
 *
 * Owns: copying request bytes into the region, calling run(), collecting reply bytes, handing
 * host commands to the host command table, and keeping each session's unparsed tail; and
 * transactions: handing run() the session's queue block and WATCH record, and EXEC of queues that
 * hold host commands, which it replays through the engine while holding the keyspace lock (see
 * exec(); every other EXEC runs inside the engine). Must not touch sockets:
 * callers (the TCP server, the in-process Engine) pass bytes in and get bytes out.
 */
import { createMemory, instantiate, type EngineExports } from './wasm.js';
import type { Session } from './session.js';
import { runHostCommand, type HostContext, type HostAction } from '../commands/host.js';
import { CMD } from '../commands/ids.generated.js';
import { debugRefusal } from '../commands/server.js';
import { forgetSession, unwatchAll } from '../commands/transactions.js';
import { RF_EXEC, RF_AUTHED } from './session.js';
import { ReplyWriter } from '../resp/reply-writer.js';
import { BlockedClients } from './blocked.js';
import { PushDelivery, W_CLIENT_REC } from './pubsub-delivery.js';
import { monitorHostCommand } from '../commands/pubsub.js';
import { commandById } from '../commands/spec.js';
import { CustomCommands } from '../commands/custom.js';

// worker region fields (assembly/worker.ts), as u32 indexes
const W_IN_PTR = 0, W_IN_CAP = 1, W_OUT_PTR = 2, W_OUT_LEN = 7, W_ARGV_PTR = 4, W_CONSUMED = 6,
  W_NEED = 8, W_ARGC = 9, W_HOST_CMD = 10, W_SCRATCH_PTR = 12, W_SCRATCH_CAP = 13, W_DIRTY = 14,
  W_ARG_BASE = 17, W_RESULT_PTR = 19, W_RESULT_LEN = 20, W_EXPIRED = 22, W_EVICTED = 24, W_COMMANDS = 26, W_HITS = 28, W_MISSES = 30;

/** W_CLIENT_REC as a u32 index. */
const W_CLIENT_REC_I = W_CLIENT_REC >>> 2;

/** Wall-clock time in ms with a fractional part (MONITOR lines show microseconds). */
function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

const RUN_HOST = 1, RUN_PROTO_ERROR = 2, RUN_MORE = 3, RUN_BLOCKED = 4;
// transactions (assembly/worker.ts): EXEC buffer, the running connection's queue and WATCH record
const W_EXEC_PTR = 42, W_EXEC_CAP = 43, W_TXQ = 44, W_WATCH_REC = 45;
/** u32 index of the region word naming the last command run() looked up (assembly/worker.ts W_LAST_CMD). */
const W_LAST_CMD_I = 40;
const LAST_CMD_UNKNOWN = 0xffffffff;
// queue block (assembly/transaction.ts): length, count and flags words; data after 16 bytes
const TQ_LEN = 0, TQ_COUNT = 2, TQ_FLAGS = 3, TQ_DATA = 16;
const TQ_ERROR = 1, TQ_DENYOOM = 2;
// blocked command: waiter id (u32 index) and timeout ms (f64 index) in the region
const W_BLOCK_ID = 33, W_BLOCK_TIMEOUT = 136;
/** Input or output above this gets the region's buffers trimmed afterwards (assembly/worker.ts). */
const TRIM_ABOVE = 1024 * 1024;

/** Result of feeding bytes: reply chunks to send, and whether to close after sending them. */
export interface FeedResult {
  chunks: Buffer[];
  close: boolean;
  /**
   * Set when a host command must wait for other threads (CLIENT LIST, CLIENT KILL …): send
   * `chunks`, then this reply once it resolves, then feed the session again (an empty chunk) to
   * run the input that arrived after that command. Until then the session takes no new commands.
   */
  wait?: Promise<{ reply: Buffer; close: boolean }>;
}

/** Options for a new engine memory. */
export interface CoreOptions {
  databases?: number;
  /** Custom commands this instance knows beside the built-in ones (src/commands/custom.ts). */
  commands?: CustomCommands;
  /** Existing memory to attach to (worker threads); a new one is created and initialised if absent. */
  memory?: WebAssembly.Memory;
  shared?: boolean;
}

/** One engine instance over a (possibly shared) memory, with its own worker region. */
export class EngineCore {
  readonly exports: EngineExports;
  readonly memory: WebAssembly.Memory;
  readonly region: number;
  /** Clients of this instance waiting in blocking commands. */
  readonly blocked: BlockedClients;
  /** Pub/Sub and MONITOR records of this instance's clients, and their deliveries. */
  readonly pushes: PushDelivery;
  private u8: Uint8Array;
  private u32: Uint32Array;
  /** An EXEC of this batch had a huge reply or queue: give the region's buffers back after it. */
  private execGrewBuffers = false;
  /** Custom commands registered in this instance (empty when none were given). */
  readonly custom: CustomCommands;

  constructor(opts: CoreOptions = {}) {
    const shared = opts.shared ?? true;
    this.memory = opts.memory ?? createMemory(shared);
    this.exports = instantiate(this.memory, shared);
    if (!opts.memory) {
      const seed = (Math.random() * 0xffffffff) >>> 0;
      if (this.exports.init(opts.databases ?? 16, seed, Date.now()) !== 0) throw new Error('wasmdis: engine init failed');
    } else if (this.exports.attach() !== 0) {
      throw new Error('wasmdis: shared memory was initialised by an incompatible engine build');
    }
    this.region = this.exports.workerCreate();
    if (this.region === 0) throw new Error('wasmdis: out of engine memory');
    this.u8 = new Uint8Array(this.memory.buffer);
    this.u32 = new Uint32Array(this.memory.buffer);
    this.blocked = new BlockedClients(this.exports, this.memory, this.region, shared);
    this.pushes = new PushDelivery(this.exports, this.memory, this.region, shared);
    this.custom = opts.commands ?? CustomCommands.none;
    this.custom.registerIn(this.exports, (b) => this.putScratch(b));
  }

  /** Re-create views if memory grew (any instance may grow it). */
  private views(): void {
    const buf = this.memory.buffer;
    if (buf.byteLength !== this.u8.byteLength) {
      this.u8 = new Uint8Array(buf);
      this.u32 = new Uint32Array(buf);
    }
  }

  private field(i: number): number {
    return this.u32[(this.region >>> 2) + i];
  }

  /** Bytes [ptr, ptr+len) of engine memory, copied. */
  copyOut(ptr: number, len: number): Buffer {
    this.views();
    return Buffer.from(this.u8.subarray(ptr, ptr + len));
  }

  /** A view (not a copy) of engine memory; valid until the next engine call. */
  view(ptr: number, len: number): Uint8Array {
    this.views();
    return this.u8.subarray(ptr, ptr + len);
  }

  /**
   * Counters of the engine instance whose region is at `region` (any instance over this memory:
   * INFO sums them across threads): writes executed, keys expired, keys evicted, commands run.
   */
  regionCounters(region: number): { dirty: number; expired: number; evicted: number; commands: number; hits: number; misses: number } {
    this.views();
    const u64 = (i: number) => this.u32[(region >>> 2) + i + 1] * 2 ** 32 + this.u32[(region >>> 2) + i];
    return {
      dirty: u64(W_DIRTY), expired: u64(W_EXPIRED), evicted: u64(W_EVICTED), commands: u64(W_COMMANDS),
      hits: u64(W_HITS), misses: u64(W_MISSES),
    };
  }

  /** Count a command the host ran in this instance's total_commands_processed. */
  private countCommand(): void {
    this.views();
    const i = (this.region >>> 2) + W_COMMANDS;
    if (++this.u32[i] === 0) this.u32[i + 1]++; // the region is this thread's own: no atomics needed
  }

  /** Count one write of a host command in this instance's dirty counter (INFO rdb_changes_since_last_save). */
  private addDirty(): void {
    this.views();
    const i = (this.region >>> 2) + W_DIRTY;
    if (++this.u32[i] === 0) this.u32[i + 1]++; // the region is this thread's own
  }

  /** Periodic work: active expiry and table resizing (takes the keyspace lock). */
  cron(): number {
    return this.exports.cron(this.region, Date.now());
  }

  /**
   * Feed request bytes received for `session`; runs every complete command and returns the
   * replies. An incomplete tail is kept in the session until more bytes arrive.
   */
  feed(session: Session, chunk: Buffer, ctx: HostContext): FeedResult {
    let chunks: Buffer[];
    let len: number;
    if (session.waiting) {
      // a host command of this session is still waiting: keep the bytes for later, in order
      if (chunk.length > 0) { session.pending.push(chunk); session.pendingBytes += chunk.length; }
      return { chunks: [], close: false };
    }
    if (session.pendingBytes > 0) {
      session.pending.push(chunk);
      session.pendingBytes += chunk.length;
      if (session.pendingBytes < session.need) return { chunks: [], close: false };
      chunks = session.pending;
      len = session.pendingBytes;
      session.pending = [];
      session.pendingBytes = 0;
    } else {
      chunks = [chunk];
      len = chunk.length;
    }
    return this.runInput(session, chunks, len, ctx);
  }

  /** Copy the input chunks into the region (no intermediate concatenation) and run them. */
  private runInput(session: Session, input: Buffer[], len: number, ctx: HostContext): FeedResult {
    const ex = this.exports;
    const chunks: Buffer[] = [];
    this.views();
    let inPtr = this.field(W_IN_PTR);
    if (this.field(W_IN_CAP) < len) {
      inPtr = ex.reserveInput(this.region, len, 0);
      if (inPtr === 0) throw new Error('wasmdis: out of engine memory for the input buffer');
      this.views();
    }
    let at = inPtr;
    for (const c of input) { this.u8.set(c, at); at += c.length; }
    let start = 0;
    let close = false;
    let bigOutput = false;
    for (;;) {
      this.views();
      const r = this.region >>> 2;
      this.u32[r + W_CLIENT_REC_I] = session.pubsubRec;
      this.u32[r + W_TXQ] = session.txQueue;
      this.u32[r + W_WATCH_REC] = session.watchRecord;
      let now = Date.now();
      if (this.pushes.monitoring()) now = this.prepareMonitor(session);
      const status = ex.run(this.region, start, len, session.db, session.resp, session.runFlags(), now, session.id);
      this.views();
      const last = this.u32[r + W_LAST_CMD_I]!;
      if (last !== 0) session.lastCommand = last === LAST_CMD_UNKNOWN ? 'NULL' : this.commandName(last - 1);
      // MULTI / EXEC / DISCARD ran in the engine: the queue block it leaves is the session's
      const q = this.u32[r + W_TXQ];
      session.txQueue = q;
      if (q !== 0) session.txCount = this.u32[(q >>> 2) + TQ_COUNT];
      const outLen = this.field(W_OUT_LEN);
      if (outLen > 0) {
        if (outLen > TRIM_ABOVE) bigOutput = true;
        const p = this.field(W_OUT_PTR);
        chunks.push(Buffer.from(this.u8.subarray(p, p + outLen)));
      }
      const consumed = this.field(W_CONSUMED);
      if (status === RUN_HOST) {
        const id = this.field(W_HOST_CMD);
        const args = this.hostArgs();
        const out = new ReplyWriter(session.resp);
        let action: HostAction | Promise<HostAction>;
        let mine: Buffer | undefined;
        if (session.txQueue !== 0 && id === CMD.DEBUG) {
          // DEBUG inside MULTI: refused now if this connection may not use it, else queued
          this.queueDebug(session, args, out, ctx);
          action = 'continue';
        } else {
          action = id === CMD.EXEC ? this.exec(session, out, ctx) : runHostCommand(id, args, out, session, ctx);
          this.countCommand();
          // messages this command sent its own connection (keyspace events) after its reply; those
          // Redis sends before the reply the command placed itself (commands/pubsub.ts ownMessagesFirst)
          mine = this.pushes.drain(session);
          if (this.pushes.monitoring()) {
            const flags = (commandById(id) ?? this.custom.byIdSpec(id))?.flags ?? [];
            if (!flags.includes('admin') && !flags.includes('skip_monitor')) monitorHostCommand(args, session, ctx, preciseNow());
          }
        }
        if (action instanceof Promise) {
          // keep the input after this command in the session (the region is shared by every
          // connection of this thread) and resume once the reply is there
          session.pending = consumed < len ? [Buffer.from(this.u8.subarray(inPtr + consumed, inPtr + len))] : [];
          session.pendingBytes = len - consumed;
          session.need = 0;
          session.waiting = true;
          const wait = action.then((a) => {
            session.waiting = false;
            return { reply: out.toBuffer(), close: a === 'close' };
          }, (err: unknown) => {
            session.waiting = false;
            out.error(`ERR ${(err as Error).message ?? String(err)}`);
            return { reply: out.toBuffer(), close: false };
          });
          return { chunks, close: false, wait };
        }
        if (out.length > 0) chunks.push(out.toBuffer());
        if (mine) chunks.push(mine);
        if (action === 'close') { close = true; break; }
        start = consumed;
        // host commands use the scratch buffer, never the input buffer, so the rest of the
        // input is still in place
        this.views();
        if (start >= len) break;
        continue;
      }
      if (status === RUN_BLOCKED) {
        // the client waits; its later input stays queued until the wait ends (like a host
        // command that waits for other threads)
        const id = this.field(W_BLOCK_ID);
        const timeoutMs = new DataView(this.memory.buffer).getFloat64(this.region + W_BLOCK_TIMEOUT, true);
        session.pending = consumed < len ? [Buffer.from(this.u8.subarray(inPtr + consumed, inPtr + len))] : [];
        session.pendingBytes = len - consumed;
        session.need = 0;
        session.waiting = true;
        if (bigOutput || len > TRIM_ABOVE) ex.trimBuffers(this.region);
        // wait() registers the waiter and then drains this region's deliveries (this batch may have
        // served clients of this thread too). Draining before registering would drop the reply of
        // this very client if another thread served it since run() released the lock.
        const wait = this.blocked.wait(session, id, timeoutMs).then((reply) => {
          session.waiting = false;
          return { reply, close: false };
        });
        return { chunks, close: false, wait };
      }
      if (status === RUN_PROTO_ERROR) { close = true; break; }
      if (status === RUN_MORE) {
        start = consumed;
        if (start >= len) { session.need = 0; break; }
        continue;
      }
      // RUN_DONE: keep the unparsed tail for the next read
      if (consumed < len) {
        session.pending = [Buffer.from(this.u8.subarray(inPtr + consumed, inPtr + len))];
        session.pendingBytes = len - consumed;
        session.need = this.field(W_NEED);
      } else {
        session.need = 0;
      }
      break;
    }
    // a huge request or reply grew the region's buffers: give the memory back
    if (bigOutput || len > TRIM_ABOVE || this.execGrewBuffers) { ex.trimBuffers(this.region); this.execGrewBuffers = false; }
    // commands of this batch may have served clients waiting on this thread, or published to
    // connections of this thread (this one's own messages follow its replies)
    if (this.blocked.size > 0) this.blocked.drain();
    const mine = this.pushes.drain(session);
    if (mine) chunks.push(mine);
    return { chunks, close };
  }

  /** DEBUG inside MULTI: the host's queue-time check (enable-debug-command), then queued. */
  private queueDebug(session: Session, args: Buffer[], out: ReplyWriter, ctx: HostContext): void {
    const ex = this.exports;
    const refused = debugRefusal(session, ctx);
    const queued = this.locked(() => {
      if (refused) { ex.txQueueFlag(session.txQueue, TQ_ERROR); return false; }
      const req = encodeCommand(args);
      const q = ex.txQueueAppend(session.txQueue, this.scratchCopy(req), req.length);
      if (q === 0) { ex.txQueueFlag(session.txQueue, TQ_ERROR); return false; }
      session.txQueue = q;
      this.views();
      session.txCount = this.u32[(q >>> 2) + TQ_COUNT];
      return true;
    });
    if (refused) out.error(refused);
    else if (!queued) out.error("OOM command not allowed when used memory > 'maxmemory'.");
    else out.status('QUEUED');
  }

  /**
   * EXEC: check the transaction (OOM, errors while queueing, WATCH), then run every queued
   * command as one step. The keyspace lock is held from the check to the end, across engine and
   * host commands alike, so no other thread sees or changes anything in between; only a host
   * command that must wait for other threads (CLIENT LIST/KILL across threads) lets go of it
   * while it waits, as those threads may need the lock to answer. Clients blocked on keys the
   * transaction filled are served after it, against its final state.
   */
  private exec(session: Session, out: ReplyWriter, ctx: HostContext): HostAction | Promise<HostAction> {
    const q = session.txQueue;
    if (q === 0) { out.error('ERR EXEC without MULTI'); return 'continue'; }
    const ex = this.exports;
    ex.keyspaceLock();
    this.views();
    const qi = q >>> 2;
    const flags = this.u32[qi + TQ_FLAGS], count = this.u32[qi + TQ_COUNT], total = this.u32[qi + TQ_LEN];
    const now = Date.now();
    let verdict: string | null | undefined;
    if ((flags & TQ_DENYOOM) && ex.outOfMemory(this.region, now) !== 0) {
      verdict = "EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.";
    } else if (flags & TQ_ERROR) {
      verdict = 'EXECABORT Transaction discarded because of previous errors.';
    } else if (session.watchRecord !== 0 && ex.watchCheck(session.watchRecord, now) !== 0) {
      verdict = null;
    }
    // EXEC always ends the watches, before running (the transaction's own writes must not mark
    // it dirty); the queue goes to the region's EXEC buffer (the input buffer still holds this
    // batch), and the transaction shows in CLIENT LIST until it ran
    unwatchAll(session, this);
    let p = 0;
    if (verdict === undefined) {
      p = ex.execBufferReserve(this.region, total);
      if (p === 0) verdict = "OOM command not allowed when used memory > 'maxmemory'.";
      else { this.views(); this.u8.copyWithin(p, q + TQ_DATA, q + TQ_DATA + total); }
    }
    ex.txQueueFree(q);
    session.txQueue = 0;
    if (verdict !== undefined) {
      ex.keyspaceUnlock();
      if (verdict === null) out.nullArray(); else out.error(verdict);
      return 'continue';
    }
    session.execCount = count;
    out.arrayLen(count);
    return this.replay(session, out, ctx, 0, total, false);
  }

  /**
   * Run queued bytes [start, total) of the EXEC buffer; the caller holds the keyspace lock, which
   * is released when the transaction ends (or while a host command waits for other threads).
   */
  private replay(session: Session, out: ReplyWriter, ctx: HostContext, start: number, total: number, close: boolean): HostAction | Promise<HostAction> {
    const ex = this.exports;
    const r = this.region >>> 2;
    // run() reads from W_IN_PTR: point it at the EXEC buffer for the replay
    const savedIn = this.u32[r + W_IN_PTR], savedCap = this.u32[r + W_IN_CAP];
    const enter = () => {
      this.views();
      this.u32[r + W_IN_PTR] = this.u32[r + W_EXEC_PTR];
      this.u32[r + W_IN_CAP] = this.u32[r + W_EXEC_CAP];
      this.u32[r + W_CLIENT_REC_I] = session.pubsubRec;
      this.u32[r + W_TXQ] = 0;
      this.u32[r + W_WATCH_REC] = 0;
    };
    const leave = () => { this.views(); this.u32[r + W_IN_PTR] = savedIn; this.u32[r + W_IN_CAP] = savedCap; };
    enter();
    try {
      while (start < total) {
        const status = ex.run(this.region, start, total, session.db, session.resp, session.runFlags() | RF_EXEC, Date.now(), session.id);
        this.views();
        const outLen = this.field(W_OUT_LEN);
        if (outLen > 0) { const op = this.field(W_OUT_PTR); out.raw(this.u8.subarray(op, op + outLen)); }
        if (outLen > TRIM_ABOVE || total > TRIM_ABOVE) this.execGrewBuffers = true;
        const consumed = this.field(W_CONSUMED);
        if (status === RUN_HOST) {
          const args = this.hostArgs();
          const hout = new ReplyWriter(session.resp);
          const hostId = this.field(W_HOST_CMD);
          const action = runHostCommand(hostId, args, hout, session, ctx);
          this.countCommand();
          if (this.pushes.monitoring()) {
            const flags = (commandById(hostId) ?? this.custom.byIdSpec(hostId))?.flags ?? [];
            if (!flags.includes('admin') && !flags.includes('skip_monitor')) monitorHostCommand(args, session, ctx, preciseNow());
          }
          if (action instanceof Promise) {
            // wait without the lock, with the region's input restored for the thread's other
            // sessions, and the rest of the queue kept aside (another EXEC may use the buffer)
            const ep = this.u32[r + W_EXEC_PTR];
            const rest = Buffer.from(this.u8.subarray(ep + consumed, ep + total));
            leave();
            ex.keyspaceUnlock();
            return action.then((a) => {
              out.raw(hout.toBuffer());
              ex.keyspaceLock();
              const p = ex.execBufferReserve(this.region, rest.length);
              if (p === 0) { ex.keyspaceUnlock(); throw new Error('wasmdis: out of engine memory for EXEC'); }
              this.views();
              this.u8.set(rest, p);
              return this.replay(session, out, ctx, 0, rest.length, close || a === 'close');
            });
          }
          out.raw(hout.toBuffer());
          if (action === 'close') close = true;
          start = consumed;
          continue;
        }
        if (status !== RUN_MORE) break; // RUN_DONE (blocking and protocol errors cannot happen here)
        start = consumed;
      }
      ex.serveReadyAfterExec(this.region);
    } finally {
      leave();
    }
    session.execCount = -1;
    ex.keyspaceUnlock();
    return close ? 'close' : 'continue';
  }

  /** A command's full name as CLIENT LIST shows it (`get`, `config|get`, a custom command's name). */
  private commandName(id: number): string {
    return (commandById(id) ?? this.custom.byIdSpec(id))?.name ?? 'NULL';
  }

  /**
   * Run one command for a custom command's handler (ctx.call), inside the handler's hold of the
   * keyspace lock: the request is parsed from the instance's call buffer (the region's input and
   * EXEC buffers still hold the rest of the batch or transaction) and run as inside EXEC (nothing
   * blocks; waiters are served once the handler is done). Host commands it reaches run here too
   * (`host`), synchronously. Returns the reply bytes in protocol `resp`.
   */
  callInside(session: Session, args: readonly Buffer[], resp: 2 | 3,
    host: (id: number, args: Buffer[], out: ReplyWriter) => void): Buffer {
    const ex = this.exports;
    const req = encodeCommand(args as Buffer[]);
    const p = ex.customCallBuffer(req.length);
    if (p === 0) return Buffer.from("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    this.views();
    this.u8.set(req, p);
    const r = this.region >>> 2;
    const saved = [this.u32[r + W_IN_PTR], this.u32[r + W_IN_CAP], this.u32[r + W_CLIENT_REC_I], this.u32[r + W_TXQ], this.u32[r + W_WATCH_REC]];
    this.u32[r + W_IN_PTR] = p;
    this.u32[r + W_IN_CAP] = req.length;
    this.u32[r + W_CLIENT_REC_I] = session.pubsubRec;
    this.u32[r + W_TXQ] = 0;
    this.u32[r + W_WATCH_REC] = 0;
    const parts: Buffer[] = [];
    try {
      const status = ex.run(this.region, 0, req.length, session.db, resp, (session.authed ? RF_AUTHED : 0) | RF_EXEC, Date.now(), session.id);
      this.views();
      const outLen = this.field(W_OUT_LEN);
      if (outLen > 0) { const op = this.field(W_OUT_PTR); parts.push(Buffer.from(this.u8.subarray(op, op + outLen))); }
      if (status === RUN_HOST) {
        const id = this.field(W_HOST_CMD);
        const hargs = this.hostArgs();
        const out = new ReplyWriter(resp);
        host(id, hargs, out);
        this.countCommand();
        parts.push(out.toBuffer());
      }
    } finally {
      this.views();
      [this.u32[r + W_IN_PTR], this.u32[r + W_IN_CAP], this.u32[r + W_CLIENT_REC_I], this.u32[r + W_TXQ], this.u32[r + W_WATCH_REC]] = saved as [number, number, number, number, number];
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Serve clients blocked on keys that commands run by a custom command filled. Caller holds the lock. */
  serveReadyAfterCustom(): void {
    this.exports.serveReadyAfterExec(this.region);
  }

  /** The arguments of the host command run() stopped at, copied. */
  private hostArgs(): Buffer[] {
    return this.argsAt(this.field(W_ARG_BASE), this.field(W_ARGC));
  }

  /** Arguments [base, base + argc) of the region's argument table, copied. */
  private argsAt(base: number, argc: number): Buffer[] {
    const argv = this.field(W_ARGV_PTR);
    const args: Buffer[] = new Array(argc);
    for (let i = 0; i < argc; i++) {
      const e = (argv >>> 2) + (base + i) * 2;
      const p = this.u32[e], l = this.u32[e + 1];
      args[i] = Buffer.from(this.u8.subarray(p, p + l));
    }
    return args;
  }

  /** `session` went away: forget its blocked wait, transaction and watched keys. */
  sessionClosed(session: Session): void {
    this.blocked.closed(session);
    forgetSession(session, this);
  }

  /** Copy `b` into the region's scratch buffer; returns its address (valid until the next scratch use). */
  scratchCopy(b: Buffer): number {
    const p = this.scratch(b.length);
    this.u8.set(b, p);
    return p;
  }

  /**
   * Read a string key for a host command: Buffer, null (missing) or 'wrongtype'. `read` counts the
   * lookup in keyspace_hits/misses (Redis's lookupKeyRead; false for write lookups). Caller holds the lock.
   */
  getString(db: number, key: Buffer, read = false): Buffer | null | 'wrongtype' {
    const k = this.scratch(key.length);
    this.u8.set(key, k);
    const r = this.exports.hostGetString(this.region, db, k, key.length, Date.now(), read ? 1 : 0);
    if (r === 0) return null;
    if (r < 0) return 'wrongtype';
    this.views();
    return this.copyOut(this.field(W_RESULT_PTR), this.field(W_RESULT_LEN));
  }

  /**
   * Set a string key for a host command. Caller holds the lock. `encoding` forces OBJECT
   * ENCODING's answer (default: what SET would give). Returns false when memory is exhausted.
   */
  setString(db: number, key: Buffer, value: Buffer, keepTtl: boolean, encoding?: 'raw' | 'int' | 'embstr'): boolean {
    const k = this.scratch(key.length + value.length);
    this.u8.set(key, k);
    this.u8.set(value, k + key.length);
    const enc = encoding === undefined ? -1 : encoding === 'raw' ? 0 : encoding === 'int' ? 1 : 2;
    const ok = this.exports.hostSetString(db, k, key.length, k + key.length, value.length, keepTtl ? 1 : 0, enc) === 0;
    if (ok) this.addDirty();
    return ok;
  }

  /**
   * Read one field of a hash key for a host command (a write lookup, as HINCRBYFLOAT's): the
   * value, null (key or field missing) or 'wrongtype'. Caller holds the lock.
   */
  getHashField(db: number, key: Buffer, field: Buffer): Buffer | null | 'wrongtype' {
    const k = this.scratch(key.length + field.length);
    this.u8.set(key, k);
    this.u8.set(field, k + key.length);
    const r = this.exports.hostGetHashField(this.region, db, k, key.length, k + key.length, field.length, Date.now());
    if (r === 0) return null;
    if (r < 0) return 'wrongtype';
    this.views();
    return this.copyOut(this.field(W_RESULT_PTR), this.field(W_RESULT_LEN));
  }

  /**
   * Set one field of a hash key for a host command, creating the hash when missing (the key must
   * not hold another type). Caller holds the lock. Returns false when memory is exhausted.
   */
  setHashField(db: number, key: Buffer, field: Buffer, value: Buffer): boolean {
    const k = this.scratch(key.length + field.length + value.length);
    this.u8.set(key, k);
    this.u8.set(field, k + key.length);
    this.u8.set(value, k + key.length + field.length);
    const ok = this.exports.hostSetHashField(
      db, k, key.length, k + key.length, field.length, k + key.length + field.length, value.length) === 0;
    if (ok) this.addDirty();
    return ok;
  }

  /**
   * MONITOR connections listen: give the engine this session's address for their lines, and
   * return the time with microseconds (the lines show it).
   */
  private prepareMonitor(session: Session): number {
    const addr = Buffer.from(session.addr, 'latin1');
    const p = this.exports.monitorAddrBuffer(this.region, addr.length);
    this.views();
    if (p !== 0) this.u8.set(addr, p);
    return preciseNow();
  }

  /** Copy `bytes` into the region's scratch buffer; returns its address (valid until the next call). */
  putScratch(bytes: Uint8Array): number {
    const p = this.scratch(bytes.length);
    this.u8.set(bytes, p);
    return p;
  }

  /** The region's scratch buffer with room for n bytes. */
  private scratch(n: number): number {
    this.views();
    let p = this.field(W_SCRATCH_PTR);
    if (this.field(W_SCRATCH_CAP) < n) {
      p = this.exports.reserveScratch(this.region, n);
      if (p === 0) throw new Error('wasmdis: out of engine memory');
      this.views();
    }
    return p;
  }

  /** Run `fn` holding the keyspace lock. */
  locked<T>(fn: () => T): T {
    this.exports.keyspaceLock();
    try {
      return fn();
    } finally {
      this.exports.keyspaceUnlock();
    }
  }
}

/** A command as a RESP multibulk request (queued host commands are replayed from these bytes). */
function encodeCommand(args: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) parts.push(Buffer.from(`$${a.length}\r\n`), a, Buffer.from('\r\n'));
  return Buffer.concat(parts);
}
