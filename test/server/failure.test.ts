// A thread that fails must not leave the server half-alive or deadlocked: the cause is logged
// and the whole server stops (exit status 1). DEBUG SEGFAULT traps inside the engine while it
// holds the keyspace lock; DEBUG PANIC throws out of a thread's event loop.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/redis-oracle.js';
import { RawClient } from '../helpers/raw-client.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => { for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL'); });

async function start(threads: number): Promise<{ port: number; output: () => string; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, '--port', String(port), '--bind', '127.0.0.1', '--threads', String(threads),
    '--enable-debug-command', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const t0 = Date.now();
  while (!out.includes('Ready to accept connections')) {
    if (Date.now() - t0 > 10_000) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { port, output: () => out, exited };
}

describe('failures stop the server cleanly', () => {
  for (const threads of [1, 2]) {
    for (const [cmd, cause] of [['SEGFAULT', /RuntimeError: unreachable/], ['PANIC', /DEBUG PANIC called/]] as const) {
      it(`DEBUG ${cmd} with --threads ${threads}: cause logged, exit 1, no hang`, async () => {
        const s = await start(threads);
        // several clients, so that with two threads the failing one is not the only one
        const others = await Promise.all([0, 1, 2].map(() => RawClient.connect(s.port)));
        for (const o of others) expect((await o.send('SET', 'k', 'v')).toString()).toBe('+OK\r\n');
        const c = await RawClient.connect(s.port);
        c.write(`*2\r\n$5\r\nDEBUG\r\n$${cmd.length}\r\n${cmd}\r\n`);
        const code = await Promise.race([s.exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
        expect(code).toBe(1);
        expect(s.output()).toMatch(cause);
        for (const o of others) expect(await o.waitClosed(2000)).toBe(true);
      });
    }
  }
});
