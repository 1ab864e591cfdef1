/**
 * Browser globals the engine's host code expects from Node: `Buffer` (the `buffer` package),
 * a small `process`, `setImmediate`, and `SharedArrayBuffer` where the page is not cross-origin
 * isolated (the server's counter block is one; with one thread a plain ArrayBuffer does, as
 * Atomics' read-modify-write operations accept unshared typed arrays). Injected into the playground bundle by esbuild
 * (scripts/playground.mjs); nothing here runs under Node.
 */
import { Buffer as BufferPolyfill } from 'buffer';

const g = globalThis as unknown as Record<string, unknown>;

/** `setImmediate` on a MessageChannel: runs after pending events, without setTimeout's clamping. */
function makeSetImmediate(): (fn: (...a: unknown[]) => void, ...args: unknown[]) => number {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const fn = queue.shift();
    if (fn) fn();
  };
  return (fn, ...args) => {
    queue.push(() => fn(...args));
    channel.port2.postMessage(0);
    return 0;
  };
}

if (g.SharedArrayBuffer === undefined) g.SharedArrayBuffer = ArrayBuffer;
if (g.Buffer === undefined) g.Buffer = BufferPolyfill;
if (g.setImmediate === undefined) g.setImmediate = makeSetImmediate();
if (g.process === undefined) {
  const started = performance.now();
  g.process = {
    argv: ['wasmdis', 'playground'],
    env: {},
    pid: 1,
    platform: 'browser',
    versions: {},
    cwd: () => '/',
    nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
    memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
    cpuUsage: () => ({ user: Math.round((performance.now() - started) * 1000), system: 0 }),
    hrtime: Object.assign(
      (prev?: [number, number]) => {
        const ns = Math.round(performance.now() * 1e6);
        const t: [number, number] = [Math.floor(ns / 1e9), ns % 1e9];
        return prev ? [t[0] - prev[0], t[1] - prev[1]] : t;
      },
      { bigint: () => BigInt(Math.round(performance.now() * 1e6)) },
    ),
    uptime: () => (performance.now() - started) / 1000,
    on: () => undefined,
    once: () => undefined,
    emitWarning: () => undefined,
    exit: () => undefined,
  };
}

export { BufferPolyfill as Buffer };
