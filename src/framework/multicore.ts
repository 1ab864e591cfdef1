/**
 * Multicore framework servers: `listen(addr, handler, ..., { workers: N, balance })`.
 *
 * Owns: the worker pool (node:cluster processes), handing accepted sockets to workers by a
 * balancing policy, and the graceful stop of the pool. Must not parse or answer commands: each
 * worker serves the sockets it is given with the same read loop as a single-process server
 * (session.ts).
 *
 * Why processes and not worker threads: a handler is a closure, which cannot cross a thread or
 * process boundary, so the application's script must run again in every worker (as with
 * node:cluster) and its own listen() call serves there. Worker threads cannot be handed an
 * accepted socket (they can only share one listening socket and let the kernel pick, which
 * allows no policy), whereas a cluster worker process can receive one over IPC
 * (`worker.send(msg, socket)`): the descriptor is duplicated into the worker and the primary's
 * copy is closed once sent, so every descriptor has exactly one owner. The primary accepts every
 * connection (paused, it reads nothing) and picks the worker:
 *
 *   primary (the script, listen() in the primary)        worker i (the script again, listen() there)
 *   ┌──────────────────────────────────────────┐  IPC   ┌───────────────────────────────────────┐
 *   │ net.Server(pauseOnConnect) ─accept─► pick ├──────►│ 'conn' + socket ─► read loop, handler  │
 *   │ counts[i] (least-connections)   ◄─'gone'──┤◄──────┤ socket closed                          │
 *   └──────────────────────────────────────────┘        └───────────────────────────────────────┘
 *
 * Messages (all `{ wasmdisFw: kind, server: index }`; `index` numbers the multicore listen()
 * calls of a script in call order, identical in the primary and every worker):
 *   worker→primary: ready (its listen() reached), gone (a connection ended), closed (drained)
 *   primary→worker: start (+ port), conn (+ the socket), close (+ graceful, timeoutMs)
 *
 * Trade-offs: state is per worker (a Map in the handler is one Map per process; share through a
 * database or the primary, not through module variables); the primary's connection counts lag
 * the workers' by one IPC message; one accept per connection goes through the primary.
 */
import cluster, { type Worker } from 'node:cluster';
import net from 'node:net';
import tls from 'node:tls';
import type { Conn } from './conn.js';
import { createListener, listenOnce, plainAddress } from './listeners.js';
import { connectionServer, closeConnections, startTicker, type SessionCallbacks, type SessionOptions } from './session.js';

/** How a multicore server chooses the worker for a new connection. */
export type BalancePolicy = 'round-robin' | 'least-connections' | 'source-hash';

/** One worker as the primary sees it. */
export interface WorkerInfo {
  /** Slot number, 0 … workers-1 (a replacement for a dead worker takes the same slot). */
  readonly slot: number;
  /** The worker's process id. */
  readonly pid: number;
  /** Connections handed to it and not yet closed, as the primary counts them. */
  readonly connections: number;
}

/** Environment variable marking a process as a framework worker (set by the primary). */
const WORKER_ENV = 'WASMDIS_FRAMEWORK_WORKER';
/** How long the primary waits for the workers to reach listen() before giving up. */
const START_TIMEOUT_MS = 30_000;

type Kind = 'ready' | 'start' | 'conn' | 'gone' | 'close' | 'closed' | 'relay' | 'shutdown';
interface Message { wasmdisFw: Kind; server: number; port?: number; graceful?: boolean; timeoutMs?: number; data?: unknown }

/** Is this process a worker started by a multicore framework server? */
export function isFrameworkWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1';
}

/** The multicore options as listen() passes them on. */
export interface MulticoreOptions extends SessionOptions {
  /** Number of worker processes. */
  workers: number;
  /** How the primary picks the worker for a new connection (default round-robin). */
  balance?: BalancePolicy;
  /** TLS: the workers run the handshakes on the sockets they are handed. */
  tls?: tls.TlsOptions;
  /** SO_REUSEPORT on the primary's listening socket (Node.js ≥ 22.12). */
  reusePort?: boolean;
  /** Ticker run in every worker (see ListenOptions.onTick). */
  onTick?: () => number | void;
  /** The ticker's first delay in ms (default 100). */
  tickMs?: number;
}

/** What a multicore listen() returns (the FrameworkServer shape of server.ts, plus workers). */
export interface MulticoreServer {
  /** The port listened on. */
  readonly port: number;
  /** In a worker: its open connections; in the primary: empty (see `workers`). */
  readonly connections: ReadonlySet<Conn>;
  /** In the primary: each worker's slot, pid and open connections; in a worker: empty. */
  readonly workers: readonly WorkerInfo[];
  /** Close the whole server (from the primary or from any worker): stop accepting, drain, stop the workers. */
  close(opts?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

/** FNV-1a of a string: the source-address hash (stable across processes and runs). */
export function sourceHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// ───────────────────────────── primary ─────────────────────────────

interface Slot {
  worker: Worker | undefined;
  /** Servers (indexes) whose listen() this worker has reached. */
  ready: Set<number>;
  /** Servers (indexes) this worker has started. */
  started: Set<number>;
  /** Open connections per server index. */
  counts: Map<number, number>;
  /** Did this worker ever reach a listen()? (A worker that dies before is not respawned.) */
  everReady: boolean;
}

interface PrimaryServer {
  index: number;
  port: number;
  onReady(slot: number): void;
  onClosed(slot: number): void;
  onExit(slot: number): void;
  /** A worker asked for the whole server to close (its own close(), RedHub's Action.Shutdown). */
  shutdown(graceful: boolean, timeoutMs: number): void;
}

interface Pool {
  slots: Slot[];
  servers: Map<number, PrimaryServer>;
  stopping: boolean;
}

let pool: Pool | undefined;
let primaryIndex = 0;

function startPool(n: number): Pool {
  const p: Pool = { slots: [], servers: new Map(), stopping: false };
  const fork = (i: number): void => {
    const w = cluster.fork({ [WORKER_ENV]: '1' });
    const slot = p.slots[i]!;
    slot.worker = w;
    slot.ready = new Set();
    slot.started = new Set();
    slot.counts = new Map();
    slot.everReady = false;
    w.on('message', (m: Message) => {
      if (m === null || typeof m !== 'object' || typeof m.wasmdisFw !== 'string') return;
      const srv = p.servers.get(m.server);
      if (m.wasmdisFw === 'ready') { slot.everReady = true; slot.ready.add(m.server); srv?.onReady(i); }
      else if (m.wasmdisFw === 'gone') slot.counts.set(m.server, Math.max(0, (slot.counts.get(m.server) ?? 0) - 1));
      else if (m.wasmdisFw === 'closed') srv?.onClosed(i);
      else if (m.wasmdisFw === 'shutdown') srv?.shutdown(m.graceful !== false, m.timeoutMs ?? 5000);
      else if (m.wasmdisFw === 'relay') {
        for (const other of p.slots) if (other !== slot) send(other.worker, m);
      }
    });
    w.on('exit', () => {
      if (slot.worker !== w) return;
      slot.worker = undefined;
      slot.ready.clear();
      slot.started.clear();
      slot.counts.clear();
      for (const s of p.servers.values()) s.onExit(i);
      // a worker that served is replaced; one that died before reaching listen() is not (no crash loop)
      if (!p.stopping && slot.everReady) fork(i);
    });
  };
  for (let i = 0; i < n; i++) {
    p.slots.push({ worker: undefined, ready: new Set(), started: new Set(), counts: new Map(), everReady: false });
    fork(i);
  }
  return p;
}

function send(w: Worker | undefined, m: Message, handle?: net.Socket, cb?: (err: Error | null) => void): void {
  if (w === undefined || !w.isConnected()) { cb?.(new Error('worker gone')); return; }
  try {
    if (handle) w.send(m, handle, cb); else w.send(m, cb);
  } catch (err) {
    cb?.(err as Error);
  }
}

/** The primary's side of a multicore listen(): accept, pick a worker, hand the socket over. */
export async function listenPrimary(host: string | undefined, port: number, options: MulticoreOptions): Promise<MulticoreServer> {
  const n = Math.floor(options.workers);
  if (pool === undefined) pool = startPool(n);
  else if (pool.slots.length !== n) throw new Error(`every multicore listen() of a process must use the same workers count (${pool.slots.length}, not ${n})`);
  if (pool.stopping) throw new Error('the worker pool is stopping');
  const p = pool;
  const index = primaryIndex++;
  const policy: BalancePolicy = options.balance ?? 'round-robin';
  let next = 0; // round-robin pointer (also breaks least-connections ties)
  let accepting = true;
  const queue: net.Socket[] = [];
  let closeWaiters = new Map<number, () => void>();

  const live = (i: number): boolean => {
    const s = p.slots[i]!;
    return s.worker !== undefined && s.started.has(index) && s.worker.isConnected();
  };
  const pick = (socket: net.Socket): number => {
    const size = p.slots.length;
    if (policy === 'source-hash') {
      const h = sourceHash(plainAddress(socket.remoteAddress)) % size;
      for (let k = 0; k < size; k++) if (live((h + k) % size)) return (h + k) % size;
      return -1;
    }
    let best = -1;
    let bestCount = Infinity;
    for (let k = 0; k < size; k++) {
      const i = (next + k) % size;
      if (!live(i)) continue;
      if (policy === 'round-robin') { best = i; break; }
      const c = p.slots[i]!.counts.get(index) ?? 0;
      if (c < bestCount) { best = i; bestCount = c; }
    }
    if (best >= 0) next = (best + 1) % size;
    return best;
  };
  const dispatch = (socket: net.Socket): void => {
    socket.on('error', () => { /* a reset before the hand-over must not kill the primary */ });
    if (!accepting) { socket.destroy(); return; }
    const i = pick(socket);
    if (i < 0) { queue.push(socket); return; }
    const slot = p.slots[i]!;
    slot.counts.set(index, (slot.counts.get(index) ?? 0) + 1);
    send(slot.worker, { wasmdisFw: 'conn', server: index }, socket, (err) => {
      if (err) {
        slot.counts.set(index, Math.max(0, (slot.counts.get(index) ?? 0) - 1));
        socket.destroy();
      }
    });
  };

  const server = createListener(dispatch, { pauseOnConnect: true });
  server.on('error', () => { /* accept errors (EMFILE …) must not kill the primary */ });
  await listenOnce(server, { port, host, reusePort: options.reusePort });
  const boundPort = (server.address() as net.AddressInfo).port;

  let allStarted: () => void = () => {};
  let startFailed: (e: Error) => void = () => {};
  const started = new Promise<void>((resolve, reject) => { allStarted = resolve; startFailed = reject; });
  let closing: Promise<void> | undefined;
  const entry: PrimaryServer = {
    index,
    port: boundPort,
    onReady(i) {
      const slot = p.slots[i]!;
      send(slot.worker, { wasmdisFw: 'start', server: index, port: boundPort }, undefined, (err) => {
        if (err) return;
        slot.started.add(index);
        if (p.slots.every((_, k) => live(k))) allStarted();
        while (queue.length > 0 && accepting) dispatch(queue.shift()!);
      });
    },
    onClosed(i) { closeWaiters.get(i)?.(); },
    onExit(i) {
      closeWaiters.get(i)?.();
      if (!p.slots[i]!.everReady) startFailed(new Error(`framework worker ${i} exited before reaching listen()`));
    },
    shutdown(graceful, timeoutMs) { void closeServer(graceful, timeoutMs); },
  };
  p.servers.set(index, entry);
  // workers that reached this listen() while the primary was still binding
  for (let i = 0; i < p.slots.length; i++) if (p.slots[i]!.ready.has(index)) entry.onReady(i);
  const timer = setTimeout(() => startFailed(new Error('framework workers did not reach listen() in time')), START_TIMEOUT_MS);
  try {
    await started;
  } catch (err) {
    clearTimeout(timer);
    accepting = false;
    server.close();
    await stopPool(p, 1000);
    throw err;
  }
  clearTimeout(timer);

  return {
    port: boundPort,
    connections: new Set<Conn>(),
    get workers(): WorkerInfo[] {
      return p.slots.map((s, slot) => ({ slot, pid: s.worker?.process.pid ?? 0, connections: s.counts.get(index) ?? 0 }));
    },
    close: ({ graceful = true, timeoutMs = 5000 } = {}) => closeServer(graceful, timeoutMs),
  };

  function closeServer(graceful: boolean, timeoutMs: number): Promise<void> {
    closing ??= (async () => {
      accepting = false;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of queue.splice(0)) s.destroy();
      const drained = p.slots.map((s, i) => new Promise<void>((resolve) => {
        if (s.worker === undefined) { resolve(); return; }
        closeWaiters.set(i, resolve);
        send(s.worker, { wasmdisFw: 'close', server: index, graceful, timeoutMs }, undefined, (err) => { if (err) resolve(); });
      }));
      const limit = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs + 1000).unref());
      await Promise.race([Promise.all(drained), limit]);
      closeWaiters = new Map();
      p.servers.delete(index);
      await stopped;
      if (p.servers.size === 0) await stopPool(p, timeoutMs);
    })();
    return closing;
  }
}

/** Disconnects every worker (they exit once idle), kills any still alive after `timeoutMs`. */
async function stopPool(p: Pool, timeoutMs: number): Promise<void> {
  p.stopping = true;
  if (pool === p) pool = undefined;
  await Promise.all(p.slots.map((s) => new Promise<void>((resolve) => {
    const w = s.worker;
    if (w === undefined || w.isDead()) { resolve(); return; }
    w.once('exit', () => resolve());
    const kill = setTimeout(() => w.process.kill('SIGKILL'), timeoutMs);
    kill.unref();
    w.once('exit', () => clearTimeout(kill));
    if (w.isConnected()) w.disconnect(); else w.process.kill('SIGTERM');
  })));
}

// ───────────────────────────── worker ─────────────────────────────

interface WorkerServer {
  accept(socket: net.Socket): void;
  close(graceful: boolean, timeoutMs: number): Promise<void>;
  start(port: number): void;
}

const workerServers = new Map<number, WorkerServer>();
let workerIndex = 0;
let messagesInstalled = false;

const relayReceivers: ((data: unknown) => void)[] = [];

/** The relay between the processes of a multicore server, as {@link joinRelay} returns it. */
export interface Relay {
  /** Is there anyone to relay to (checked at each call: a primary's pool may start later)? */
  active(): boolean;
  /** Send `data` (JSON-serialisable) to every other worker process. */
  send(data: unknown): void;
}

/**
 * Join the relay between the processes of a multicore server (used by PubSub so that a message
 * published in one worker reaches the subscribers of every worker): `receive` hears what the
 * other processes send. A primary sends to all its workers and receives nothing; a process that
 * is neither a framework worker nor a multicore primary has nobody to relay to.
 */
export function joinRelay(receive: (data: unknown) => void): Relay {
  if (isFrameworkWorker()) {
    installMessages();
    relayReceivers.push(receive);
    return { active: () => process.connected === true, send: (data) => toPrimary({ wasmdisFw: 'relay', server: -1, data }) };
  }
  return {
    active: () => pool !== undefined,
    send: (data) => {
      if (pool === undefined) return;
      for (const slot of pool.slots) send(slot.worker, { wasmdisFw: 'relay', server: -1, data });
    },
  };
}

function toPrimary(m: Message): void {
  if (process.connected) process.send!(m);
}

function installMessages(): void {
  if (messagesInstalled) return;
  messagesInstalled = true;
  process.on('message', (m: Message, handle?: unknown) => {
    if (m === null || typeof m !== 'object' || typeof m.wasmdisFw !== 'string') return;
    const srv = workerServers.get(m.server);
    if (m.wasmdisFw === 'conn') {
      const socket = handle as net.Socket | undefined;
      if (socket === undefined) return;
      if (srv === undefined) { socket.destroy(); toPrimary({ wasmdisFw: 'gone', server: m.server }); return; }
      srv.accept(socket);
    } else if (m.wasmdisFw === 'relay') {
      for (const receive of relayReceivers) receive(m.data);
    } else if (m.wasmdisFw === 'start') srv?.start(m.port ?? 0);
    else if (m.wasmdisFw === 'close') {
      void srv?.close(m.graceful !== false, m.timeoutMs ?? 5000).then(() => toPrimary({ wasmdisFw: 'closed', server: m.server }));
    }
  });
}

/** A worker's side of a multicore listen(): serve the sockets the primary hands over. */
export async function listenWorker(cb: SessionCallbacks, options: MulticoreOptions): Promise<MulticoreServer> {
  installMessages();
  const index = workerIndex++;
  const conns = new Set<Conn>();
  let onEmpty: (() => void) | undefined;
  const serve = connectionServer(cb, options, conns, () => { if (conns.size === 0) onEmpty?.(); });
  // TLS: the worker receives the raw TCP socket and runs the handshake itself
  const wrapper = options.tls ? createListener(serve, { tls: options.tls, highWaterMark: options.highWaterMark }) as tls.Server : undefined;
  let closingAll = false;
  let port = 0;
  let stopTicker = (): void => {};
  let resolveStart: () => void = () => {};
  const started = new Promise<void>((resolve) => { resolveStart = resolve; });
  let closing: Promise<void> | undefined;
  let closed: () => void = () => {};
  const whenClosed = new Promise<void>((resolve) => { closed = resolve; });
  const close = (graceful: boolean, timeoutMs: number): Promise<void> => {
    closing ??= (async () => {
      closingAll = true;
      stopTicker();
      const drained = new Promise<void>((resolve) => {
        if (conns.size === 0) resolve(); else onEmpty = resolve;
      });
      await closeConnections(conns, drained, graceful, timeoutMs);
      closed();
    })();
    return closing;
  };
  workerServers.set(index, {
    accept(socket) {
      socket.on('error', () => { /* reported to the application by the read loop (closed callback) */ });
      socket.once('close', () => toPrimary({ wasmdisFw: 'gone', server: index }));
      if (closingAll) { socket.destroy(); return; }
      if (options.highWaterMark !== undefined) {
        // a socket received over IPC is built by Node without options; set its stream buffer sizes
        const s = socket as unknown as { _readableState?: { highWaterMark: number }; _writableState?: { highWaterMark: number } };
        if (s._readableState) s._readableState.highWaterMark = options.highWaterMark;
        if (s._writableState) s._writableState.highWaterMark = options.highWaterMark;
      }
      if (wrapper) wrapper.emit('connection', socket); else serve(socket);
    },
    close,
    start(p) { port = p; resolveStart(); },
  });
  toPrimary({ wasmdisFw: 'ready', server: index });
  await started;
  stopTicker = startTicker(options.onTick, options.tickMs);
  return {
    get port() { return port; },
    connections: conns,
    workers: [],
    // closing from a worker closes the whole server: the primary stops accepting and closes
    // every worker (this one included), so no connection is handed to a worker that has stopped
    close: ({ graceful = true, timeoutMs = 5000 } = {}) => {
      if (closing === undefined && process.connected) {
        toPrimary({ wasmdisFw: 'shutdown', server: index, graceful, timeoutMs });
        return whenClosed;
      }
      return close(graceful, timeoutMs);
    },
  };
}
