/**
 * Loading the WASM engine: compile the module once per process (per thread), create the shared
 * memory, instantiate over it.
 *
 * Owns: where the .wasm files live and the memory's limits. Must not know commands or sockets.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The ABI exported by assembly/index.ts. Pointers are byte offsets into the memory. */
export interface EngineExports {
  memory: WebAssembly.Memory;
  init(databases: number, seed: number, now: number): number;
  attach(): number;
  workerCreate(): number;
  reserveInput(w: number, size: number, keep: number): number;
  reserveScratch(w: number, size: number): number;
  pubsubState(): number;
  pubsubClientNew(region: number, client: number, protocol: number): number;
  pubsubClientSetProto(rec: number, protocol: number): void;
  pubsubClientFree(rec: number): void;
  pubsubSubscribe(rec: number, kind: number, p: number, len: number): number;
  pubsubUnsubscribe(rec: number, kind: number, p: number, len: number): number;
  monitorSet(rec: number, on: number): void;
  pubsubTake(region: number): number;
  pubsubRecordDone(rec: number): number;
  monitorAddrBuffer(region: number, len: number): number;
  monitorDeliver(p: number, len: number): void;
  setPubsubBufferLimit(v: number): void;
  pubsubCount(kind: number): number;
  run(w: number, start: number, end: number, db: number, protocol: number, flags: number, now: number, client: number): number;
  parseOnly(w: number, start: number, end: number, authed: number): number;
  parseErrorCode(): number;
  parseErrorByte(): number;
  keyspaceLock(): void;
  keyspaceUnlock(): void;
  databases(): number;
  dbKeys(db: number): number;
  dbExpires(db: number): number;
  usedMemory(): number;
  setProtoMaxBulkLen(v: number): void;
  setMaxMultibulkLen(v: number): void;
  setMaxmemoryPolicy(v: number): void;
  setActiveExpireEffort(v: number): void;
  setLfuLogFactor(v: number): void;
  setLfuDecayTime(v: number): void;
  setMaxmemory(v: number): void;
  setMaxmemorySamples(v: number): void;
  setHashMaxListpackEntries(v: number): void;
  setHashMaxListpackValue(v: number): void;
  setSetMaxIntsetEntries(v: number): void;
  setHllSparseMaxBytes(v: number): void;
  setZsetMaxListpackEntries(v: number): void;
  setZsetMaxListpackValue(v: number): void;
  setNotifyKeyspaceEvents(v: number): void;
  hostKeyModified(db: number, event: number): void;
  cron(w: number, now: number): number;
  lockTiming(on: number): void;
  debugTrap(): void;
  lockStat(i: number): number;
  trimBuffers(w: number): void;
  hostGetString(w: number, db: number, k: number, klen: number, now: number, read: number): number;
  hostSetString(db: number, k: number, klen: number, v: number, vlen: number, keepTtl: number, enc: number): number;
  hostGetHashField(w: number, db: number, k: number, klen: number, f: number, flen: number, now: number): number;
  hostSetHashField(db: number, k: number, klen: number, f: number, flen: number, v: number, vlen: number): number;
  blockedClients(): number;
  blockedClientsWithTimeout(): number;
  cancelWaiter(w: number, id: number, mode: number): number;
  unblockClient(w: number, client: number, mode: number): number;
  deliveriesTake(w: number): number;
  deliveriesFree(list: number): void;
  execBufferReserve(w: number, size: number): number;
  txQueueAppend(q: number, p: number, len: number): number;
  txQueueFlag(q: number, f: number): void;
  txQueueFree(q: number): void;
  watchClientNew(): number;
  watchClientFree(c: number): void;
  watchAdd(c: number, db: number, k: number, klen: number, now: number): number;
  watchClear(c: number): void;
  watchCheck(c: number, now: number): number;
  watchClientFlags(c: number): number;
  outOfMemory(w: number, now: number): number;
  serveReadyAfterExec(w: number): void;
  customCommandRegister(ptr: number, len: number, flags: number, arity: number, first: number, last: number, step: number): number;
  customCallBuffer(n: number): number;
}

/** wasm32's hard limit: 65536 pages of 64 KiB = 4 GiB. */
export const MAX_PAGES = 65536;
const INITIAL_PAGES = 256; // 16 MiB

/** The package root (holds package.json, build/ and dist/), from src/ or dist/src/. */
export function packageRoot(): string {
  // this file is src/engine/wasm.ts (tests) or dist/src/engine/wasm.js (built)
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error('wasmdis: cannot locate the package root (build/wasmdis.wasm)');
}

const modules = new Map<boolean, WebAssembly.Module>();

/** The compiled engine module (shared-memory build by default), compiled once and cached. */
export function engineModule(shared = true): WebAssembly.Module {
  let m = modules.get(shared);
  if (!m) {
    const file = join(packageRoot(), 'build', shared ? 'wasmdis.wasm' : 'wasmdis-local.wasm');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new Error(`wasmdis: ${file} is missing; run \`npm run build\``);
    }
    m = new WebAssembly.Module(new Uint8Array(bytes));
    modules.set(shared, m);
  }
  return m;
}

/** A new engine memory: shared (for worker threads) unless `shared` is false. */
export function createMemory(shared = true): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared });
}

/** Instantiate the engine over `memory` (synchronous: the module is already compiled). */
export function instantiate(memory: WebAssembly.Memory, shared = true): EngineExports {
  const instance = new WebAssembly.Instance(engineModule(shared), { env: { memory, abort, clockNs } });
  return instance.exports as unknown as EngineExports;
}

/** Monotonic clock for the lock statistics (differences within one thread only). */
function clockNs(): number {
  return performance.now() * 1e6;
}

function abort(): never {
  throw new Error('wasmdis engine: abort');
}
