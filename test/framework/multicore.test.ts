/**
 * Multicore framework servers (ListenOptions.workers / balance): a fixture script
 * (fixtures/multicore.mjs, built framework from dist/) serves on 2 worker processes; clients check
 * which worker answers (WHO → pid) under each balancing policy, that every connection is served,
 * and that close() on the primary drains the workers and ends them.
 */
import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sourceHash } from '../../src/framework/index.js';

const fixture = fileURLToPath(new URL('./fixtures/multicore.mjs', import.meta.url));

interface Started { child: ChildProcess; port: number; pids: number[]; primary: number; out: string[] }

async function start(workers: number, balance: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [fixture, String(workers), balance], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const out: string[] = [];
  let buf = '';
  const first = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) { out.push(l); if (out.length === 1) resolve(l); }
    });
    child.once('exit', (code) => reject(new Error(`fixture exited (${code})`)));
  });
  const info = JSON.parse(await first) as { port: number; pids: number[]; primary: number };
  return { child, out, ...info };
}

/** A client connection that stays open; `ask` sends an inline command and reads one line. */
class Client {
  private pending: ((line: string) => void)[] = [];
  private buf = '';
  closed = false;
  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      let i: number;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        this.pending.shift()?.(line);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => { this.closed = true; });
  }
  static connect(port: number, localAddress?: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', localAddress });
      s.once('connect', () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }
  ask(cmd: string): Promise<string> {
    return new Promise((resolve) => { this.pending.push(resolve); this.socket.write(cmd + '\r\n'); });
  }
  async who(): Promise<number> {
    return Number((await this.ask('WHO')).slice(1));
  }
  end(): Promise<void> {
    return new Promise((resolve) => { if (this.closed) resolve(); else { this.socket.once('close', () => resolve()); this.socket.end(); } });
  }
  waitClosed(): Promise<void> {
    return new Promise((resolve) => { if (this.closed) resolve(); else this.socket.once('close', () => resolve()); });
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function stop(s: Started): Promise<void> {
  const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  s.child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(s.out).toContain('closed');
  for (let i = 0; i < 100 && s.pids.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
  expect(s.pids.filter(alive)).toEqual([]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('framework multicore: workers and balancing', () => {
  it('round-robin: connections alternate between the workers; every one is served', async () => {
    const s = await start(2, 'round-robin');
    try {
      expect(s.pids.length).toBe(2);
      expect(new Set(s.pids).size).toBe(2);
      expect(s.pids).not.toContain(s.primary);
      const clients: Client[] = [];
      const seen: number[] = [];
      for (let i = 0; i < 6; i++) {
        const c = await Client.connect(s.port);
        clients.push(c);
        seen.push(await c.who());
      }
      expect(seen.slice(0, 2).sort()).toEqual([...s.pids].sort());
      for (let i = 2; i < 6; i++) expect(seen[i]).toBe(seen[i - 2]);
      expect(seen[0]).not.toBe(seen[1]);
      // each worker holds three of them
      expect(await clients[0]!.ask('COUNT')).toBe(':3');
      expect(await clients[1]!.ask('COUNT')).toBe(':3');
      // many at once: all served, by both; the primary keeps no descriptor of a handed-over socket
      const fds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
      const before = [s.primary, ...s.pids].map(fds);
      const burst = await Promise.all(Array.from({ length: 40 }, async () => {
        const c = await Client.connect(s.port);
        const w = await c.who();
        await c.end();
        return w;
      }));
      expect(burst.every((w) => s.pids.includes(w))).toBe(true);
      expect(burst.filter((w) => w === s.pids[0]).length).toBe(20);
      await sleep(100);
      expect([s.primary, ...s.pids].map(fds)).toEqual(before);
      await Promise.all(clients.map((c) => c.end()));
    } finally {
      await stop(s);
    }
  });

  it('least-connections: a new connection goes to the worker with fewer open ones', async () => {
    const s = await start(2, 'least-connections');
    try {
      const a = await Client.connect(s.port); const wa = await a.who();
      const b = await Client.connect(s.port); const wb = await b.who();
      expect(wa).not.toBe(wb);
      const c = await Client.connect(s.port); const wc = await c.who(); // tie: either
      const d = await Client.connect(s.port); const wd = await d.who(); // the other one
      expect(wd).not.toBe(wc);
      // close both connections of one worker: the next three all go to it
      const emptied = wa;
      const mine = [[a, wa], [b, wb], [c, wc], [d, wd]].filter(([, w]) => w === emptied).map(([x]) => x as Client);
      const others = [[a, wa], [b, wb], [c, wc], [d, wd]].filter(([, w]) => w !== emptied).map(([x]) => x as Client);
      expect(mine.length).toBe(2);
      await Promise.all(mine.map((x) => x.end()));
      await sleep(150); // the worker's "gone" reaches the primary
      const next: Client[] = [];
      const went: number[] = [];
      for (let i = 0; i < 2; i++) { const x = await Client.connect(s.port); next.push(x); went.push(await x.who()); }
      expect(went).toEqual([emptied, emptied]);
      // now 2 and 2: the fifth alternates again
      const e = await Client.connect(s.port); next.push(e);
      const f = await Client.connect(s.port); next.push(f);
      expect(new Set([await e.who(), await f.who()]).size).toBe(2);
      await Promise.all([...others, ...next].map((x) => x.end()));
    } finally {
      await stop(s);
    }
  });

  it('source-hash: one source address always lands on the same worker', async () => {
    const s = await start(2, 'source-hash');
    try {
      const byAddr = new Map<string, Set<number>>();
      for (let round = 0; round < 3; round++) {
        for (let k = 1; k <= 8; k++) {
          const addr = `127.0.0.${k}`;
          const c = await Client.connect(s.port, addr);
          const w = await c.who();
          if (!byAddr.has(addr)) byAddr.set(addr, new Set());
          byAddr.get(addr)!.add(w);
          await c.end();
        }
      }
      for (const [, ws] of byAddr) expect(ws.size).toBe(1);
      // the slot is the documented hash of the address
      for (const [addr, ws] of byAddr) expect([...ws][0]).toBe(s.pids[sourceHash(addr) % 2]);
      const used = new Set([...byAddr.values()].map((ws) => [...ws][0]));
      expect(used.size).toBe(2); // these 8 addresses spread over both workers
    } finally {
      await stop(s);
    }
  });

  it('ioredis works against a multicore server', async () => {
    const s = await start(2, 'round-robin');
    try {
      const r = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
      await r.connect();
      expect(await r.ping()).toBe('PONG');
      expect(s.pids).toContain(Number(await r.call('WHO')));
      r.disconnect();
    } finally {
      await stop(s);
    }
  });

  it('PubSub: a message published in one worker reaches subscribers in every worker', async () => {
    const s = await start(2, 'round-robin');
    const subs = [new Redis({ port: s.port, host: '127.0.0.1' }), new Redis({ port: s.port, host: '127.0.0.1' })];
    const pub = new Redis({ port: s.port, host: '127.0.0.1' });
    try {
      // round-robin: the two subscribers are on different workers, the publisher on the first's
      const pids = await Promise.all([...subs, pub].map((c) => c.call('who')));
      expect(pids[0]).not.toBe(pids[1]);
      const got: string[][] = [[], []];
      subs.forEach((c, i) => {
        c.on('message', (ch: string, m: string) => got[i]!.push(`${ch}:${m}`));
        c.on('pmessage', (p: string, ch: string, m: string) => got[i]!.push(`${p}|${ch}:${m}`));
        c.on('smessage', (ch: string, m: string) => got[i]!.push(`s ${ch}:${m}`));
      });
      await subs[0]!.subscribe('news');
      await subs[1]!.subscribe('news');
      await subs[1]!.psubscribe('n*');
      await subs[1]!.ssubscribe('shard');
      // PUBLISH counts the receivers of the publisher's own worker, as PUBLISH in Redis Cluster
      // counts one node's; every worker's subscribers get the message
      const local = pids[2] === pids[0] ? 1 : 2;
      expect(await pub.publish('news', 'hello')).toBe(local);
      await pub.call('spublish', 'shard', 'sharded');
      await new Promise((r) => setTimeout(r, 200));
      expect(got[0]).toEqual(['news:hello']);
      expect(got[1]!.sort()).toEqual(['n*|news:hello', 'news:hello', 's shard:sharded'].sort());
    } finally {
      for (const c of [...subs, pub]) c.disconnect();
      await stop(s);
    }
  });

  it('close() called inside a worker closes the whole server (no connection is handed to a stopped worker)', async () => {
    const s = await start(2, 'round-robin');
    const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
    const r = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await r.connect();
      expect(await r.call('down')).toBe('OK');
      expect(await exited).toBe(0); // the primary closed, its workers exited, nothing kept it alive
      const late = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      late.on('error', () => {});
      await expect(late.connect()).rejects.toThrow();
      late.disconnect();
      for (let i = 0; i < 100 && s.pids.some(alive); i++) await sleep(20);
      expect(s.pids.filter(alive)).toEqual([]);
    } finally {
      r.disconnect();
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  });

  it('a worker that dies is replaced; connections keep being served meanwhile', async () => {
    const s = await start(2, 'round-robin');
    try {
      const victim = s.pids[0]!;
      process.kill(victim, 'SIGKILL');
      for (let i = 0; i < 100 && alive(victim); i++) await sleep(10);
      const seen = new Set<number>();
      for (let i = 0; i < 60 && seen.size < 2; i++) {
        const c = await Client.connect(s.port);
        seen.add(await c.who());
        await c.end();
        if (seen.size < 2) await sleep(20);
      }
      expect(seen.has(victim)).toBe(false);
      expect(seen.has(s.pids[1]!)).toBe(true);
      expect(seen.size).toBe(2); // the replacement serves too
      s.pids.push(...[...seen].filter((p) => p !== s.pids[1]));
    } finally {
      await stop(s);
    }
  });

  it('TLS: the workers run the handshakes on the sockets they are handed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmdis-mc-tls-'));
    try {
      await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
        '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost']);
      const s = await start(2, 'round-robin', { FW_TLS_KEY: join(dir, 'key.pem'), FW_TLS_CERT: join(dir, 'cert.pem') });
      try {
        const ca = readFileSync(join(dir, 'cert.pem'));
        const who = async (): Promise<string> => {
          const socket = tls.connect({ port: s.port, host: '127.0.0.1', ca, servername: 'localhost' });
          await new Promise<void>((resolve, reject) => { socket.once('secureConnect', () => resolve()); socket.once('error', reject); });
          const line = new Promise<string>((resolve) => { let t = ''; socket.on('data', (d: Buffer) => { t += d; if (t.endsWith('\r\n')) resolve(t); }); });
          socket.write('WHO\r\n');
          const got = await line;
          socket.destroy();
          return got;
        };
        const a = await who();
        const b = await who();
        expect([a, b].map((x) => Number(x.slice(1, -2))).sort()).toEqual([...s.pids].sort());
      } finally {
        await stop(s);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() on the primary: stops accepting, lets a running batch finish, closes clients, workers exit', async () => {
    const s = await start(2, 'round-robin');
    const a = await Client.connect(s.port);
    const b = await Client.connect(s.port);
    await a.who(); await b.who();
    const slow = a.ask('SLOW 400'); // the worker is busy in it when the close arrives
    await sleep(100);
    const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
    s.child.kill('SIGTERM');
    expect(await slow).toBe('+DONE');
    await Promise.all([a.waitClosed(), b.waitClosed()]);
    expect(await exited).toBe(0);
    expect(s.out).toContain('closed');
    for (let i = 0; i < 100 && s.pids.some(alive); i++) await sleep(20);
    expect(s.pids.filter(alive)).toEqual([]);
    await expect(Client.connect(s.port)).rejects.toThrow();
  });
});
