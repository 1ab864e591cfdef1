/**
 * The host side of Pub/Sub and MONITOR delivery (see assembly/pubsub.ts): the client records of
 * this engine instance's connections, and the bytes published to them — by a command on this
 * thread or on another one, which wakes this thread through an atomic notify on the region's
 * dirty list.
 *
 * Owns: record lifetimes (created on the first SUBSCRIBE or MONITOR, freed on disconnect) and the
 * drain that hands each connection its bytes. Must not touch sockets: a session's `push` (set by
 * its transport) sends the bytes.
 */
import type { Session } from './session.js';
import type { EngineExports } from './wasm.js';
import { RegionWord } from './region-word.js';

/** Byte offsets in a worker region (assembly/worker.ts). */
export const W_PUBSUB_DIRTY = 144;
export const W_CLIENT_REC = 148;
/** Client record fields (assembly/pubsub.ts CR_*). */
const CR_CLIENT = 0, CR_BUF = 16, CR_LEN = 20, CR_FLAGS = 32;
const CF_OVERFLOW = 2, CF_CLOSED = 4;
/** Registry field: MONITOR connection count (assembly/pubsub.ts PS_MONITOR_COUNT). */
const PS_MONITOR_COUNT = 16;

/** Subscription kinds (assembly/pubsub.ts KIND_*). */
export const KIND_CHANNEL = 0;
export const KIND_PATTERN = 1;
export const KIND_SHARD = 2;

/** Pub/Sub records and deliveries of one engine instance (one worker region). */
export class PushDelivery {
  /** Records alive on this instance: while there are any, wait for deliveries from other threads. */
  private records = 0;
  /** While there are records, another thread's delivery to this region wakes this one. */
  private readonly word: RegionWord;
  private readonly stateAddr: number;
  /** This thread's sessions by CLIENT ID (set by whoever serves them: server or in-process Engine). */
  sessions: Map<number, Session> = new Map();

  constructor(
    private readonly ex: EngineExports,
    private readonly memory: WebAssembly.Memory,
    private readonly region: number,
    shared: boolean,
  ) {
    this.stateAddr = ex.pubsubState();
    this.word = new RegionWord(memory, region + W_PUBSUB_DIRTY, shared, () => this.records > 0, () => this.drain());
  }

  /** A u32 view of the memory, re-created only after it grew (these checks run on every batch). */
  private u32 = new Uint32Array(0);
  private words(): Uint32Array {
    const buf = this.memory.buffer;
    if (this.u32.byteLength !== buf.byteLength) this.u32 = new Uint32Array(buf);
    return this.u32;
  }

  /** Are MONITOR connections listening (on any thread)? */
  monitoring(): boolean {
    return this.words()[(this.stateAddr + PS_MONITOR_COUNT) >>> 2] !== 0;
  }

  /** The session's record, created on first use (caller holds the keyspace lock). */
  record(session: Session): number {
    if (session.pubsubRec === 0) {
      const r = this.ex.pubsubClientNew(this.region, session.id, session.resp);
      if (r === 0) throw new Error('out of memory');
      session.pubsubRec = r;
      this.records++;
      this.word.watch();
    }
    return session.pubsubRec;
  }

  /** The session left (disconnect or engine close): drop every subscription and its record. */
  closed(session: Session, unsubscribeAll: () => void): void {
    if (session.pubsubRec === 0) return;
    this.ex.keyspaceLock();
    try {
      unsubscribeAll();
      this.ex.monitorSet(session.pubsubRec, 0);
      this.ex.pubsubClientFree(session.pubsubRec);
    } finally {
      this.ex.keyspaceUnlock();
    }
    session.pubsubRec = 0;
    this.records--;
  }

  /**
   * Hand every waiting message of this region to its connection. The bytes of `current` (the
   * session whose input is being run) are returned instead, for the caller to place in order.
   */
  drain(current?: Session, holdingLock = false): Buffer | undefined {
    if (this.words()[(this.region + W_PUBSUB_DIRTY) >>> 2] === 0) return undefined;
    const got: { id: number; bytes: Buffer | undefined; overflow: boolean }[] = [];
    if (!holdingLock) this.ex.keyspaceLock();
    try {
      let r = this.ex.pubsubTake(this.region);
      const buf = this.memory.buffer;
      const view = new DataView(buf);
      const u8 = new Uint8Array(buf);
      while (r !== 0) {
        const flags = view.getUint32(r + CR_FLAGS, true);
        if (!(flags & CF_CLOSED)) {
          const len = view.getUint32(r + CR_LEN, true);
          const p = view.getUint32(r + CR_BUF, true);
          got.push({
            id: view.getFloat64(r + CR_CLIENT, true),
            bytes: len > 0 ? Buffer.from(u8.subarray(p, p + len)) : undefined,
            overflow: (flags & CF_OVERFLOW) !== 0,
          });
        }
        r = this.ex.pubsubRecordDone(r);
      }
    } finally {
      if (!holdingLock) this.ex.keyspaceUnlock();
    }
    let mine: Buffer | undefined;
    for (const g of got) {
      const s = this.sessions.get(g.id);
      if (!s) continue;
      if (g.bytes) {
        if (s === current) mine = mine ? Buffer.concat([mine, g.bytes]) : g.bytes;
        else s.push?.(g.bytes);
      }
      if (g.overflow) s.pushOverflow?.();
    }
    return mine;
  }


}
