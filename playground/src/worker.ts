/**
 * The engine worker: the same WASM engine as the server (build/wasmdis.wasm over a shared
 * memory when the page is cross-origin isolated, build/wasmdis-local.wasm over a private one
 * otherwise), the same host command table, one REPL connection (a Session, as a TCP client
 * would have) and a second, unlisted connection that reads the keyspace for the key browser.
 *
 * Owns: loading the module, running each typed command through EngineCore.feed (the path every
 * client's bytes take), the periodic cycle (active expiry), and key browser snapshots.
 */
import './shims/globals.js';
import { provideFile } from './shims/fs.js';
import { EngineCore } from '../../src/engine/core.js';
import { Session } from '../../src/engine/session.js';
import { ServerState } from '../../src/server/state.js';
import { Config } from '../../src/server/config.js';
import { applyEngineConfig } from '../../src/server/engine-config.js';
import { pubsubClosed } from '../../src/commands/pubsub.js';
import { encodeRequest } from './split.js';
import { parseReplies, quoteBytes, type Reply } from './resp.js';
import { helpText } from './help.js';
import type { FromWorker, KeyRow, KeySnapshot, SessionState, ToWorker } from './protocol.js';

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
const enc = new TextEncoder();

/** Keys the browser lists at most (the rest are counted). */
const MAX_ROWS = 200;
/** Keys SCAN collects at most before sorting. */
const MAX_SCAN = 2000;
/** Elements previewed per collection. */
const PREVIEW = 8;

let core: EngineCore;
let state: ServerState;
let repl: Session;
/** Reads for the key browser: not in CLIENT LIST, its own db selection and protocol. */
let inspector: Session;

function ctx() {
  return { core, server: state };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

function sessionState(): SessionState {
  return {
    db: repl.db, resp: repl.resp, multi: repl.inMulti, subscribed: repl.subscriptionCount(),
    monitor: repl.monitor, blocked: repl.blockedWaiter !== 0,
  };
}

/** A new REPL connection (at start, and after QUIT or CLIENT KILL closed the last one). */
function openRepl(): void {
  repl = new Session();
  state.sessions.set(repl.id, repl);
  repl.push = (bytes) => post({ type: 'push', bytes: new Uint8Array(bytes), state: sessionState() });
}

function closeRepl(): void {
  core.sessionClosed(repl);
  pubsubClosed(repl, ctx());
  state.sessions.delete(repl.id);
}

async function start(): Promise<void> {
  const shared = (self as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const wasmFile = shared ? 'wasmdis.wasm' : 'wasmdis-local.wasm';
  const t0 = performance.now();
  const res = await fetch(new URL(wasmFile, self.location.href));
  if (!res.ok) throw new Error(`${wasmFile}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const t1 = performance.now();
  provideFile(wasmFile, bytes);
  const config = new Config();
  core = new EngineCore({ databases: config.getNumber('databases'), shared });
  state = new ServerState(config, false);
  state.core = core;
  state.counters.addRegion(core.region);
  core.pushes.sessions = state.sessions;
  applyEngineConfig(config, core);
  openRepl(); // first: the REPL's CLIENT ID is 1
  inspector = new Session();
  const t2 = performance.now();
  post({ type: 'ready', shared, wasmFile, wasmBytes: bytes.length, fetchMs: t1 - t0, initMs: t2 - t1 });
  sendKeys();
  // the periodic cycle, as the server's hz 10: active expiry, then a fresh view if keys went
  setInterval(() => {
    if (core.cron() > 0) sendKeys();
    core.pushes.drain();
  }, 100);
  // TTLs count down: refresh once a second while some key shows one
  setInterval(() => {
    if (lastHadTtl) sendKeys();
  }, 1000);
}

/** Run one command on the REPL connection; replies (and a blocked command's later reply) go to the page. */
async function command(id: number, args: Uint8Array[]): Promise<void> {
  const request = encodeRequest(args);
  const t0 = performance.now();
  const r = core.feed(repl, Buffer.from(request.buffer, request.byteOffset, request.byteLength), ctx());
  const chunks: Uint8Array[] = [...r.chunks];
  let closed = r.close;
  let interrupted = false;
  if (r.wait) {
    // a blocked command: its reply comes when the wait ends, or never if the user interrupts it
    post({ type: 'state', state: sessionState() });
    const cut = new Promise<undefined>((resolve) => (interrupt = () => resolve(undefined)));
    const w = await Promise.race([r.wait, cut]);
    interrupt = undefined;
    if (w) {
      chunks.push(w.reply);
      closed ||= w.close;
    } else {
      interrupted = closed = true;
    }
  }
  closed ||= repl.killed;
  const reply = concat(chunks).slice();
  const ms = performance.now() - t0;
  if (closed) {
    closeRepl();
    openRepl();
  }
  post({ type: 'reply', id, request, reply, closed, interrupted, state: sessionState(), ms }, [reply.buffer]);
  sendKeys();
}

/** Run reads on the inspector connection (one pipeline) and return their replies. */
function inspect(cmds: (string | Uint8Array)[][]): Reply[] {
  if (cmds.length === 0) return [];
  const parts = cmds.map((c) => encodeRequest(c.map((a) => (typeof a === 'string' ? enc.encode(a) : a))));
  const r = core.feed(inspector, Buffer.from(concat(parts)), ctx());
  core.pushes.drain();
  return parseReplies(concat(r.chunks));
}

const isPlain = (b: Uint8Array) => b.length > 0 && b.every((c) => c > 0x20 && c < 0x7f);

function bytesOf(r: Reply | undefined): Uint8Array {
  return r?.t === 'bulk' ? r.b : new Uint8Array(0);
}
function numOf(r: Reply | undefined): number {
  return r?.t === 'int' ? Number(r.n) : 0;
}
function itemsOf(r: Reply | undefined): Reply[] {
  return r && 'items' in r ? r.items : [];
}
function show(r: Reply): string {
  return r.t === 'bulk' ? quoteBytes(r.b) : r.t === 'int' ? r.n : r.t === 'status' ? r.s : '';
}

let lastHadTtl = false;
/** Ends the current blocked command's wait (set while one waits). */
let interrupt: (() => void) | undefined;

/** A snapshot of the REPL connection's database for the key browser. */
function snapshot(): KeySnapshot {
  inspector.db = repl.db;
  if (repl.monitor) return { db: repl.db, dbsize: 0, keys: [], truncated: false, paused: 'paused while MONITOR runs (it would show these reads)' };
  const [size] = inspect([['DBSIZE']]);
  const dbsize = numOf(size);
  const names: Uint8Array[] = [];
  let cursor = '0';
  do {
    const [scan] = inspect([['SCAN', cursor, 'COUNT', '500']]);
    const [next, batch] = itemsOf(scan);
    cursor = new TextDecoder().decode(bytesOf(next));
    for (const k of itemsOf(batch)) names.push(bytesOf(k));
  } while (cursor !== '0' && cursor !== '' && names.length < MAX_SCAN);
  const latin1 = new TextDecoder('latin1');
  names.sort((a, b) => (latin1.decode(a) < latin1.decode(b) ? -1 : 1));
  const shown = names.slice(0, MAX_ROWS);
  const meta = inspect(shown.flatMap((k) => [['TYPE', k], ['PTTL', k]]));
  const reads: (string | Uint8Array)[][] = [];
  const kinds: string[] = [];
  shown.forEach((k, i) => {
    const type = meta[2 * i]?.t === 'status' ? (meta[2 * i] as { s: string }).s : 'none';
    kinds.push(type);
    const n = String(PREVIEW - 1);
    switch (type) {
      case 'string': reads.push(['STRLEN', k], ['GETRANGE', k, '0', '255']); break;
      case 'list': reads.push(['LLEN', k], ['LRANGE', k, '0', n]); break;
      case 'hash': reads.push(['HLEN', k], ['HSCAN', k, '0', 'COUNT', String(PREVIEW)]); break;
      case 'set': reads.push(['SCARD', k], ['SSCAN', k, '0', 'COUNT', String(PREVIEW)]); break;
      case 'zset': reads.push(['ZCARD', k], ['ZRANGE', k, '0', n, 'WITHSCORES']); break;
      case 'stream': reads.push(['XLEN', k], ['XRANGE', k, '-', '+', 'COUNT', '3']); break;
      default: reads.push(['EXISTS', k], ['EXISTS', k]);
    }
  });
  const values = inspect(reads);
  const keys: KeyRow[] = shown.map((k, i) => {
    const type = kinds[i];
    const count = numOf(values[2 * i]);
    const v = values[2 * i + 1];
    let value = '';
    let items = itemsOf(v);
    if (type === 'string') {
      value = quoteBytes(bytesOf(v)) + (count > 256 ? '…' : '');
    } else if (type === 'hash' || type === 'set') {
      items = itemsOf(items[1]);
    }
    if (type === 'hash' || type === 'zset') {
      const pairs: string[] = [];
      for (let j = 0; j + 1 < items.length && pairs.length < PREVIEW; j += 2) {
        pairs.push(type === 'hash' ? `${show(items[j])}: ${show(items[j + 1])}` : `${show(items[j])} (${new TextDecoder().decode(bytesOf(items[j + 1]))})`);
      }
      value = pairs.join(', ') + (count > pairs.length ? ', …' : '');
    } else if (type === 'list' || type === 'set') {
      const shownItems = items.slice(0, PREVIEW).map(show);
      value = shownItems.join(', ') + (count > shownItems.length ? ', …' : '');
    } else if (type === 'stream') {
      value = items.map((e) => {
        const [eid, fields] = itemsOf(e);
        return new TextDecoder().decode(bytesOf(eid)) + ' {' + itemsOf(fields).map(show).join(' ') + '}';
      }).join(', ') + (count > items.length ? ', …' : '');
    }
    const pttl = numOf(meta[2 * i + 1]);
    return { key: isPlain(k) ? new TextDecoder().decode(k) : quoteBytes(k), type, pttl: pttl < 0 ? -1 : pttl, size: count, value };
  });
  lastHadTtl = keys.some((k) => k.pttl >= 0);
  return { db: repl.db, dbsize, keys, truncated: dbsize > keys.length, paused: '' };
}

function sendKeys(): void {
  post({ type: 'keys', snapshot: snapshot() });
}

/** Work in order: loading first, then one command at a time (a blocked command holds the ones after it, as a connection would). */
let queue: Promise<void> = start().catch((err: unknown) => post({ type: 'fatal', message: String((err as Error)?.message ?? err) }));
self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'interrupt') {
    interrupt?.();
    return;
  }
  queue = queue.then(async () => {
    if (m.type === 'command') await command(m.id, m.args);
    else if (m.type === 'help') {
      const [docs] = inspect([['COMMAND', 'DOCS', m.words[0]!]]);
      const text = docs === undefined ? undefined : helpText(m.words, docs);
      post({ type: 'help', text: text ?? `No help for '${m.words.join(' ')}': not a command this engine knows.` });
    } else sendKeys();
  }).catch((err: unknown) => post({ type: 'fatal', message: String((err as Error)?.stack ?? err) }));
};
