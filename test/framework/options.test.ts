/**
 * Framework listen() options: readBufferCap (unparsed input cap, error and close),
 * highWaterMark (stream buffer sizes of accepted sockets, output backpressure), reusePort (a
 * clear error on Node < 22.12), with real sockets.
 */
import { describe, it, expect } from 'vitest';
import net from 'node:net';
import { listen, reusePortSupported, READ_BUFFER_CAP_ERROR, type Conn } from '../../src/framework/index.js';
import { RawClient } from '../helpers/raw-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SET/GET/PING server counting the commands it ran. */
function counting() {
  const items = new Map<string, Buffer>();
  const state = { ran: 0 };
  const handler = (conn: Conn, cmd: { name: string; args: Buffer[] }) => {
    state.ran++;
    if (cmd.name === 'set') { items.set(cmd.args[1]!.toString('latin1'), cmd.args[2]!); conn.writeString('OK'); }
    else if (cmd.name === 'get') { const v = items.get(cmd.args[1]!.toString('latin1')); if (v) conn.writeBulk(v); else conn.writeNull(); }
    else if (cmd.name === 'big') conn.writeBulk(Buffer.alloc(Number(cmd.args[1]), 0x61));
    else if (cmd.name === 'ping') conn.writeString('PONG');
    else conn.writeError(`ERR unknown command '${cmd.args[0]!.toString('latin1')}'`);
  };
  return { state, handler };
}

describe('framework: readBufferCap', () => {
  it('an incomplete request past the cap: the commands before it run, then the error, then close', async () => {
    const { handler } = counting();
    const srv = await listen('127.0.0.1:0', handler, undefined, undefined, { readBufferCap: 1000 });
    try {
      const c = await RawClient.connect(srv.port);
      c.write(Buffer.concat([Buffer.from('*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000\r\n'), Buffer.alloc(1200, 0x62)]));
      const { bytes, closed } = await c.collect();
      expect(bytes.toString()).toBe(`+PONG\r\n-${READ_BUFFER_CAP_ERROR}\r\n`);
      expect(closed).toBe(true);
      // the server goes on
      const d = await RawClient.connect(srv.port);
      expect((await d.send('GET', 'k')).toString()).toBe('$-1\r\n');
      await d.close();
    } finally {
      await srv.close();
    }
  });

  it('a request under the cap is served whole or trickled; a long inline line past it is refused', async () => {
    const { handler } = counting();
    const srv = await listen('127.0.0.1:0', handler, undefined, undefined, { readBufferCap: 1000 });
    try {
      const c = await RawClient.connect(srv.port);
      const value = Buffer.alloc(900, 0x63);
      const req = Buffer.concat([Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nv\r\n$900\r\n'), value, Buffer.from('\r\n')]);
      for (let i = 0; i < req.length; i += 97) { c.write(req.subarray(i, i + 97)); await sleep(1); }
      expect((await c.readReply()).toString()).toBe('+OK\r\n');
      expect((await c.send('GET', 'v')).equals(Buffer.concat([Buffer.from('$900\r\n'), value, Buffer.from('\r\n')]))).toBe(true);
      // many complete commands in one write are not "unparsed input"
      const many = await c.pipeline(Array.from({ length: 200 }, () => ['PING']));
      expect(many.length).toBe(200);
      await c.close();
      const d = await RawClient.connect(srv.port);
      d.write('SET x ' + 'y'.repeat(1500));
      const { bytes, closed } = await d.collect();
      expect(bytes.toString()).toBe(`-${READ_BUFFER_CAP_ERROR}\r\n`);
      expect(closed).toBe(true);
    } finally {
      await srv.close();
    }
  });

  it('no cap by default: a 2 MB value in pieces is fine', async () => {
    const { handler } = counting();
    const srv = await listen('127.0.0.1:0', handler);
    try {
      const c = await RawClient.connect(srv.port);
      const v = Buffer.alloc(2 * 1024 * 1024, 0x64);
      expect((await c.send('SET', 'big', v)).toString()).toBe('+OK\r\n');
      await c.close();
    } finally {
      await srv.close();
    }
  });
});

describe('framework: highWaterMark (socket buffer sizes)', () => {
  it('sets the stream buffer sizes of accepted sockets', async () => {
    const sizes: number[] = [];
    const srv = await listen('127.0.0.1:0', (conn) => conn.writeString('OK'), (conn) => {
      sizes.push(conn.socket.readableHighWaterMark, conn.socket.writableHighWaterMark);
      return true;
    }, undefined, { highWaterMark: 4096 });
    const c = await RawClient.connect(srv.port);
    expect((await c.send('X')).toString()).toBe('+OK\r\n');
    expect(sizes).toEqual([4096, 4096]);
    await c.close();
    await srv.close();
  });

  for (const hwm of [undefined, 64 * 1024]) {
    it(`output backpressure ${hwm ? 'on: reading pauses while replies are not taken' : 'off by default: commands keep running'}`, async () => {
      const { state, handler } = counting();
      const srv = await listen('127.0.0.1:0', handler, undefined, undefined, hwm ? { highWaterMark: hwm } : {});
      try {
        const s = net.connect({ port: srv.port, host: '127.0.0.1' });
        await new Promise((r) => s.once('connect', r));
        s.pause(); // the client takes no replies
        let got = 0;
        s.write('*2\r\n$3\r\nBIG\r\n$8\r\n33554432\r\n'); // 32 MiB reply: more than the kernel buffers take
        await sleep(200);
        for (let i = 0; i < 50; i++) s.write('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'); // (PING would be answered by the shims)
        await sleep(300);
        if (hwm) expect(state.ran).toBe(1); else expect(state.ran).toBe(51);
        s.on('data', (d: Buffer) => { got += d.length; });
        s.resume();
        for (let i = 0; i < 300 && state.ran < 51; i++) await sleep(10);
        expect(state.ran).toBe(51);
        const total = '$33554432\r\n'.length + 33554432 + 2 + '$-1\r\n'.length * 50;
        for (let i = 0; i < 300 && got < total; i++) await sleep(10);
        expect(got).toBe(total);
        s.destroy();
      } finally {
        await srv.close({ graceful: false });
      }
    });
  }
});

describe('framework: reusePort', () => {
  it('knows which Node.js versions have it', () => {
    expect(reusePortSupported('20.19.0')).toBe(false);
    expect(reusePortSupported('22.11.0')).toBe(false);
    expect(reusePortSupported('22.12.0')).toBe(true);
    expect(reusePortSupported('23.0.0')).toBe(false);
    expect(reusePortSupported('23.1.0')).toBe(true);
    expect(reusePortSupported('24.0.0')).toBe(true);
  });

  it.runIf(!reusePortSupported())(`on this Node.js (${process.versions.node}) listen() rejects with a clear error`, async () => {
    await expect(listen('127.0.0.1:0', () => {}, undefined, undefined, { reusePort: true }))
      .rejects.toThrow(/reusePort needs Node\.js 22\.12 or later \(this is Node\.js 20/);
    await expect(listen('127.0.0.1:0', () => {}, undefined, undefined, { reusePort: true, workers: 2 }))
      .rejects.toThrow(/reusePort needs Node\.js 22\.12/);
  });

  it.runIf(reusePortSupported())('two servers share one port', async () => {
    const a = await listen('127.0.0.1:0', (conn) => conn.writeString('A'), undefined, undefined, { reusePort: true });
    const b = await listen(`127.0.0.1:${a.port}`, (conn) => conn.writeString('B'), undefined, undefined, { reusePort: true });
    expect(b.port).toBe(a.port);
    await Promise.all([a.close(), b.close()]);
  });
});
