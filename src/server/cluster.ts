/**
 * What the threads of one server share besides the keyspace: counters in a SharedArrayBuffer
 * (client ids, connections, traffic, engine regions) and the Cluster interface host commands use
 * for anything that needs every thread's connections (CLIENT LIST, CLIENT KILL), configuration
 * changes and shutdown.
 *
 * Owns: the counters' layout and the single-thread implementation (LocalCluster). The
 * multi-thread one lives in threads.ts (supervisor) and thread-worker.ts (workers) and speaks
 * through the supervisor, the one bus every cross-thread event goes through.
 */
import type { Session } from '../engine/session.js';
import { clientInfoLine } from '../commands/connection.js';

//  Shared counters (SharedArrayBuffer)                                      byte offset
//  ┌───────────────────────────────────────────────────────────────────────┐
//  │ next client id i64 · connected clients · total connections ·          │ 0 (i64 slots)
//  │ rejected connections · net input bytes · net output bytes ·           │
//  │ active expiry on (1/0) · instantaneous ops/sec · input and output     │
//  │ kbps × 100 (written by the thread that runs the cron, see OpsSampler) │
//  ├───────────────────────────────────────────────────────────────────────┤
//  │ engine region count i32 · region addresses i32 × MAX_REGIONS          │ REGIONS_OFFSET
//  └───────────────────────────────────────────────────────────────────────┘
const C_CLIENT_ID = 0, C_CONNECTED = 1, C_TOTAL_CONNECTIONS = 2, C_REJECTED = 3, C_NET_IN = 4, C_NET_OUT = 5,
  C_ACTIVE_EXPIRE = 6, C_OPS_PER_SEC = 7, C_IN_KBPS_X100 = 8, C_OUT_KBPS_X100 = 9;
const REGIONS_OFFSET = 128;
const MAX_REGIONS = 256;

/** Counters every thread updates with atomics; one block per server. */
export class SharedCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly i64: BigInt64Array;
  private readonly regions: Int32Array;

  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(REGIONS_OFFSET + 4 * (MAX_REGIONS + 1));
    this.i64 = new BigInt64Array(this.buffer, 0, REGIONS_OFFSET / 8);
    this.regions = new Int32Array(this.buffer, REGIONS_OFFSET, MAX_REGIONS + 1);
    if (!buffer) {
      Atomics.store(this.i64, C_CLIENT_ID, 1n);
      Atomics.store(this.i64, C_ACTIVE_EXPIRE, 1n);
    }
  }

  private add(slot: number, n: number): void { Atomics.add(this.i64, slot, BigInt(n)); }
  private get(slot: number): number { return Number(Atomics.load(this.i64, slot)); }

  nextClientId(): number { return Number(Atomics.add(this.i64, C_CLIENT_ID, 1n)); }
  connected(delta: number): void { this.add(C_CONNECTED, delta); }
  connection(): void { this.add(C_TOTAL_CONNECTIONS, 1); }
  rejected(): void { this.add(C_REJECTED, 1); }
  traffic(input: number, output: number): void {
    if (input) this.add(C_NET_IN, input);
    if (output) this.add(C_NET_OUT, output);
  }
  get connectedClients(): number { return this.get(C_CONNECTED); }
  get totalConnections(): number { return this.get(C_TOTAL_CONNECTIONS); }
  get rejectedConnections(): number { return this.get(C_REJECTED); }
  get netInput(): number { return this.get(C_NET_IN); }
  get netOutput(): number { return this.get(C_NET_OUT); }
  resetStats(): void {
    for (const slot of [C_TOTAL_CONNECTIONS, C_REJECTED, C_NET_IN, C_NET_OUT]) Atomics.store(this.i64, slot, 0n);
  }
  /** Instantaneous rates, as INFO stats shows them (ops/sec, input/output kbps). */
  get instantaneous(): { ops: number; inKbps: number; outKbps: number } {
    return { ops: this.get(C_OPS_PER_SEC), inKbps: this.get(C_IN_KBPS_X100) / 100, outKbps: this.get(C_OUT_KBPS_X100) / 100 };
  }
  setInstantaneous(ops: number, inKbps: number, outKbps: number): void {
    Atomics.store(this.i64, C_OPS_PER_SEC, BigInt(Math.round(ops)));
    Atomics.store(this.i64, C_IN_KBPS_X100, BigInt(Math.round(inKbps * 100)));
    Atomics.store(this.i64, C_OUT_KBPS_X100, BigInt(Math.round(outKbps * 100)));
  }
  get activeExpire(): boolean { return this.get(C_ACTIVE_EXPIRE) !== 0; }
  set activeExpire(on: boolean) { Atomics.store(this.i64, C_ACTIVE_EXPIRE, on ? 1n : 0n); }

  /** Record an engine instance's region so INFO can sum every instance's counters. */
  addRegion(address: number): void {
    const i = Atomics.add(this.regions, 0, 1);
    if (i < MAX_REGIONS) Atomics.store(this.regions, i + 1, address);
  }
  regionList(): number[] {
    const n = Math.min(Atomics.load(this.regions, 0), MAX_REGIONS);
    const out: number[] = [];
    for (let i = 1; i <= n; i++) out.push(Atomics.load(this.regions, i));
    return out;
  }
}

/** Which connections CLIENT LIST / CLIENT KILL select (every field optional, all must match). */
export interface ClientFilter {
  ids?: number[];
  addr?: string;
  laddr?: string;
  user?: string;
  /** 'normal' | 'master' | 'replica' | 'slave' | 'pubsub' */
  type?: string;
  /** Never this client (CLIENT KILL SKIPME). */
  skipId?: number;
}

/** Does session s match the filter? */
export function clientMatches(s: Session, f: ClientFilter): boolean {
  if (f.skipId !== undefined && s.id === f.skipId) return false;
  if (f.ids && !f.ids.includes(s.id)) return false;
  if (f.addr !== undefined && s.addr !== f.addr) return false;
  if (f.laddr !== undefined && s.laddr !== f.laddr) return false;
  if (f.user !== undefined && s.user !== f.user) return false;
  if (f.type !== undefined) {
    // Redis's client types: a connection with subscriptions is 'pubsub' (MONITOR ones are 'normal');
    // masters and replicas do not exist yet
    const type = s.subscriptionCount() > 0 ? 'pubsub' : 'normal';
    if (f.type !== type) return false;
  }
  return true;
}

/** CLIENT LIST entries of this thread's sessions: [id, line]. `current` shows cmd=client|list. */
export function localClientLines(sessions: Iterable<Session>, f: ClientFilter, currentId: number): [number, string][] {
  const now = Date.now();
  const out: [number, string][] = [];
  for (const s of sessions) if (clientMatches(s, f)) out.push([s.id, clientInfoLine(s, now, s.id === currentId)]);
  return out;
}

/** Close this thread's sessions matching f; returns how many. */
export function localKill(sessions: Iterable<Session>, f: ClientFilter): number {
  let n = 0;
  for (const s of sessions) {
    if (!clientMatches(s, f)) continue;
    n++;
    s.killed = true;
    s.closeTransport?.();
  }
  return n;
}

/** The server as host commands see it across threads. */
export interface Cluster {
  /** CLIENT LIST lines (sorted by id) of every thread's matching clients. */
  clientLines(f: ClientFilter, currentId: number): string[] | Promise<string[]>;
  /** Close every matching client on every thread; resolves with how many. */
  killClients(f: ClientFilter): number | Promise<number>;
  /** A CONFIG SET on this thread: every other thread applies it too. */
  configChanged(name: string, value: string): void;
  /** Stop the whole server (SHUTDOWN). */
  shutdown(): void;
}

/** One thread: everything is local and synchronous. */
export class LocalCluster implements Cluster {
  constructor(private readonly sessions: Map<number, Session>, private readonly stop: () => void) {}
  clientLines(f: ClientFilter, currentId: number): string[] {
    return localClientLines(this.sessions.values(), f, currentId).sort((a, b) => a[0] - b[0]).map(([, l]) => l);
  }
  killClients(f: ClientFilter): number { return localKill(this.sessions.values(), f); }
  configChanged(): void { /* nobody else to tell */ }
  shutdown(): void { this.stop(); }
}

/**
 * Redis's instantaneous_ops_per_sec and instantaneous_input/output_kbps: every 100 ms, sample the
 * totals and average the rate over the last 16 samples. Runs in the thread that runs the cron.
 */
export class OpsSampler {
  private readonly samples: [number, number, number][] = [];
  private last: { t: number; ops: number; input: number; output: number } | undefined;
  private lastSample = 0;

  constructor(private readonly counters: SharedCounters, private readonly totalOps: () => number) {}

  /** Call from the cron; takes a sample at most every 100 ms. */
  tick(now = Date.now()): void {
    if (now - this.lastSample < 100) return;
    this.lastSample = now;
    const cur = { t: now, ops: this.totalOps(), input: this.counters.netInput, output: this.counters.netOutput };
    if (this.last && cur.t > this.last.t) {
      const dt = (cur.t - this.last.t) / 1000;
      this.samples.push([(cur.ops - this.last.ops) / dt, (cur.input - this.last.input) / dt / 1024, (cur.output - this.last.output) / dt / 1024]);
      if (this.samples.length > 16) this.samples.shift();
      const avg = (i: number) => this.samples.reduce((a, s) => a + s[i], 0) / this.samples.length;
      this.counters.setInstantaneous(avg(0), avg(1), avg(2));
    }
    this.last = cur;
  }
}
