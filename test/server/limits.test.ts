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
