// Limits are enforced, not hoped for: proto-max-bulk-len, client-query-buffer-limit, maxclients,
// the pre-AUTH protocol limits; and a bad client never takes the server down.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServer, type ServerHandle } from '../../src/index.js';
import { RawClient } from '../helpers/raw-client.js';

describe('server limits', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({
      port: 0, bind: '127.0.0.1', logLevel: 'silent',
      config: { 'proto-max-bulk-len': '1mb', 'client-query-buffer-limit': '1mb', maxclients: '3' },
    });
  });
  afterAll(async () => { await server.close(); });

  it('rejects a bulk longer than proto-max-bulk-len with Redis\'s error and closes', async () => {
    const c = await RawClient.connect(server.port);
    c.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024 + 1}\r\n`);
    const { bytes, closed } = await c.collect();
    expect(bytes.toString()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    expect(closed).toBe(true);
  });

  it('closes a client whose unparsed request exceeds client-query-buffer-limit', async () => {
    const c = await RawClient.connect(server.port);
    // one argument announced as 1 MiB (allowed), then a second one that never completes
    c.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024}\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let closedEarly = false;
    for (let i = 0; i < 20 && !c.closed; i++) { c.write(chunk); await new Promise((r) => setTimeout(r, 5)); }
    closedEarly = await c.waitClosed(3000);
    expect(closedEarly).toBe(true);
    // the server is still serving everyone else
    const d = await RawClient.connect(server.port);
    expect((await d.send('PING')).toString()).toBe('+PONG\r\n');
    await d.close();
  });

  it('refuses connections beyond maxclients with Redis\'s error', async () => {
    const a = await RawClient.connect(server.port);
    const b = await RawClient.connect(server.port);
    const c = await RawClient.connect(server.port);
    await a.send('PING'); await b.send('PING'); await c.send('PING');
    const d = await RawClient.connect(server.port);
    const { bytes, closed } = await d.collect();
    expect(bytes.toString()).toBe('-ERR max number of clients reached\r\n');
    expect(closed).toBe(true);
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});

describe('pre-AUTH protocol limits', () => {
  let server: ServerHandle;
  beforeAll(async () => { server = await startServer({ port: 0, bind: '127.0.0.1', requirepass: 'pw', logLevel: 'silent' }); });
  afterAll(async () => { await server.close(); });

  it('limits argument counts and sizes until the client authenticates', async () => {
    const a = await RawClient.connect(server.port);
    a.write('*11\r\n');
    expect((await a.collect()).bytes.toString()).toBe('-ERR Protocol error: unauthenticated multibulk length\r\n');
    const b = await RawClient.connect(server.port);
    b.write('*2\r\n$3\r\nGET\r\n$16385\r\n');
    expect((await b.collect()).bytes.toString()).toBe('-ERR Protocol error: unauthenticated bulk length\r\n');
    const c = await RawClient.connect(server.port);
    expect((await c.send('AUTH', 'pw')).toString()).toBe('+OK\r\n');
    const args = Array.from({ length: 20 }, (_, i) => `k${i}`);
    expect((await c.send('DEL', ...args)).toString()).toBe(':0\r\n');
    await c.close();
  });
});

describe('pub/sub output buffer limit', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({
      port: 0, bind: '127.0.0.1', logLevel: 'silent',
      config: { 'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 1mb 256kb 60' },
    });
  });
  afterAll(async () => { await server.close(); });

  it('disconnects a subscriber that does not read once its messages pass the hard limit; others keep theirs', async () => {
    const slow = await RawClient.connect(server.port);
    const fast = await RawClient.connect(server.port);
    await slow.send('SUBSCRIBE', 'flood');
    await fast.send('SUBSCRIBE', 'flood');
    slow.socket.pause(); // reads nothing more: the server's buffer for it grows
    const pub = await RawClient.connect(server.port);
    const payload = 'x'.repeat(16 * 1024);
    let receivers = 2;
    // 16 MiB in all: far beyond what the kernel's socket buffers absorb plus the 1 MiB limit
    for (let i = 0; i < 1024 && receivers === 2; i++) {
      const r = (await pub.send('PUBLISH', 'flood', payload)).toString();
      receivers = Number(r.slice(1, -2));
    }
    expect(receivers).toBe(1); // the slow subscriber was dropped, the fast one still listens
    expect((await pub.send('PUBSUB', 'NUMSUB', 'flood')).toString()).toBe('*2\r\n$5\r\nflood\r\n:1\r\n');
    expect((await pub.send('CLIENT', 'LIST', 'TYPE', 'pubsub')).toString().split('\n').filter((l) => l.includes('id=')).length).toBe(1);
    // the server keeps serving
    expect((await pub.send('PING')).toString()).toBe('+PONG\r\n');
    await Promise.all([fast.close(), pub.close()]);
    slow.socket.destroy();
  }, 30_000);
});
