/**
 * The host side of blocking commands (BLPOP & co., see assembly/blocking.ts): the clients of this
 * engine instance that wait, their timeout timers, and the replies delivered to them — by a
 * command on this thread, or by one on another worker thread, which wakes this one through an
 * atomic notify on the region's delivery list.
 *
 * Owns: the waiter id → session map of one EngineCore. Must not touch sockets: a wait is a
 * Promise of reply bytes that the transport sends (the FeedResult `wait` contract of core.ts).
 */
import type { Session } from './session.js';
import type { EngineExports } from './wasm.js';
import { RegionWord } from './region-word.js';

/** Byte offset of the delivery list head in a worker region (assembly/worker.ts W_DELIVERIES). */
export const W_DELIVERIES = 128;
/** Node's setTimeout limit; longer timeouts are waited in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** waiterCancel modes (assembly/blocking.ts). */
export const CANCEL_TIMEOUT = 0;
export const CANCEL_ERROR = 1;
const CANCEL_SILENT = 2;

interface Wait {
  session: Session;
  resolve: (reply: Buffer) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Blocked clients of one engine instance (one worker region). */
export class BlockedClients {
  private readonly waits = new Map<number, Wait>();
  /** While clients wait, another thread's delivery to this region wakes this one. */
  private readonly word: RegionWord;

  constructor(
    private readonly ex: EngineExports,
    private readonly memory: WebAssembly.Memory,
    private readonly region: number,
    shared: boolean,
  ) {
    this.word = new RegionWord(memory, region + W_DELIVERIES, shared, () => this.waits.size > 0, () => this.drain());
  }

  /** Clients of this instance currently waiting. */
  get size(): number {
    return this.waits.size;
  }

  /**
   * `session`'s command became waiter `id`, for `timeoutMs` (0 = forever). Resolves with the
   * reply once it is served, times out, or is unblocked.
   */
  wait(session: Session, id: number, timeoutMs: number): Promise<Buffer> {
    return new Promise<Buffer>((resolve) => {
      const w: Wait = { session, resolve, timer: undefined };
      this.waits.set(id, w);
      session.blockedWaiter = id;
      if (timeoutMs > 0) this.arm(id, w, Date.now() + timeoutMs);
      this.word.watch();
      // served between run() and here (by this thread's own batch)?
      this.drain();
    });
  }

  /** Start (or continue) the timer of waiter id, in steps Node's timers accept. */
  private arm(id: number, w: Wait, deadline: number): void {
    const left = deadline - Date.now();
    w.timer = setTimeout(() => {
      if (left > MAX_TIMER_MS) { this.arm(id, w, deadline); return; }
      this.ex.cancelWaiter(this.region, id, CANCEL_TIMEOUT);
      this.drain();
    }, Math.max(0, Math.min(left, MAX_TIMER_MS)));
  }

  /** Hand every delivered reply of this region to its waiting client. */
  drain(): void {
    const u32 = new Uint32Array(this.memory.buffer);
    if (u32[(this.region + W_DELIVERIES) >>> 2] === 0) return;
    let d = this.ex.deliveriesTake(this.region);
    const got: [number, Buffer][] = [];
    const list = d;
    const view = new Uint32Array(this.memory.buffer);
    const u8 = new Uint8Array(this.memory.buffer);
    while (d !== 0) {
      const id = view[(d >>> 2) + 1];
      const len = view[(d >>> 2) + 2];
      got.push([id, Buffer.from(u8.subarray(d + 16, d + 16 + len))]);
      d = view[d >>> 2];
    }
    this.ex.deliveriesFree(list);
    // the list is newest first
    for (let i = got.length - 1; i >= 0; i--) {
      const [id, reply] = got[i];
      const w = this.waits.get(id);
      if (!w) continue; // its client disconnected meanwhile
      this.waits.delete(id);
      if (w.timer) clearTimeout(w.timer);
      w.session.blockedWaiter = 0;
      w.resolve(reply);
    }
  }



  /** `session` went away: forget its wait (nothing is delivered to it any more). */
  closed(session: Session): void {
    const id = session.blockedWaiter;
    if (id === 0) return;
    session.blockedWaiter = 0;
    const w = this.waits.get(id);
    if (!w) return;
    this.waits.delete(id);
    if (w.timer) clearTimeout(w.timer);
    this.ex.cancelWaiter(this.region, id, CANCEL_SILENT);
  }
}
