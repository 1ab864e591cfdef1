/**
 * Raw sockets against the target: inline commands as typed in telnet, and a 100 MB value
 * SET and read back through a plain socket.
 */
import { describe, it, expect } from 'vitest';
import { RawClient, encodeCommand } from '../helpers/raw-client.js';
import { useTarget } from '../helpers/targets.js';

describe('client: raw socket (telnet style)', () => {
  const target = useTarget();
  const connect = () => RawClient.connect(target().port, { host: target().host });

  it('inline commands', async () => {
    const c = await connect();
    try {
      const r = (s: string) => c.sendRaw(s).then(([b]) => b!.toString('latin1'));
      expect(await r('FLUSHALL\r\n')).toBe('+OK\r\n');
      expect(await r('PING\r\n')).toBe('+PONG\r\n');
      expect(await r('SET a "hello world"\r\n')).toBe('+OK\r\n');
      expect(await r('GET a\r\n')).toBe('$11\r\nhello world\r\n');
      expect(await r('EXISTS a nokey\r\n')).toBe(':1\r\n');
      expect(await r('INCR counter\n')).toBe(':1\r\n');
      expect(await r('GET nokey\r\n')).toBe('$-1\r\n');
      expect(await r('MGET a nokey\r\n')).toBe('*2\r\n$11\r\nhello world\r\n$-1\r\n');
      expect(await r("SET q 'single quoted'\r\n")).toBe('+OK\r\n');
      expect(await r('GET q\r\n')).toBe('$13\r\nsingle quoted\r\n');
      expect(await r('NOPE\r\n')).toBe("-ERR unknown command 'NOPE', with args beginning with: \r\n");
      const [a, b] = await c.sendRaw('PING\r\nECHO x\r\n', 2);
      expect([a!.toString(), b!.toString()]).toEqual(['+PONG\r\n', '$1\r\nx\r\n']);
      expect(await r('QUIT\r\n')).toBe('+OK\r\n');
      expect(await c.waitClosed(2000)).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('RESP3 after HELLO 3 over a raw socket', async () => {
    const c = await connect();
    try {
      const hello = (await c.hello3()).toString('latin1');
      expect(hello.startsWith('%7\r\n')).toBe(true);
      expect(hello).toContain('$5\r\nproto\r\n:3\r\n');
      expect((await c.send('GET', 'definitely-missing')).toString()).toBe('_\r\n');
    } finally {
      await c.close();
    }
  });

  it('a 100 MB value: SET and GET', { timeout: 120_000 }, async () => {
    const c = await RawClient.connect(target().port, { host: target().host, timeout: 100_000 });
    try {
      const size = 100 * 1024 * 1024;
      const value = Buffer.allocUnsafe(size);
      for (let i = 0; i < size; i += 4) value.writeUInt32LE((i * 2654435761) >>> 0, i);
      expect((await c.send('SET', 'huge', value)).toString()).toBe('+OK\r\n');
      expect((await c.send('STRLEN', 'huge')).toString()).toBe(`:${size}\r\n`);
      const reply = await c.send('GET', 'huge');
      const header = `$${size}\r\n`;
      expect(reply.length).toBe(header.length + size + 2);
      expect(reply.subarray(0, header.length).toString()).toBe(header);
      expect(reply.subarray(header.length, header.length + size).equals(value)).toBe(true);
      expect(reply.subarray(reply.length - 2).toString()).toBe('\r\n');
      expect((await c.send('GETRANGE', 'huge', String(size - 4), '-1')).equals(
        Buffer.concat([Buffer.from('$4\r\n'), value.subarray(size - 4), Buffer.from('\r\n')]),
      )).toBe(true);
      expect((await c.send('DEL', 'huge')).toString()).toBe(':1\r\n');
    } finally {
      await c.close();
    }
  });

  it('a 100 MB value written in 64 KiB pieces', { timeout: 120_000 }, async () => {
    const c = await RawClient.connect(target().port, { host: target().host, timeout: 100_000 });
    try {
      const size = 100 * 1024 * 1024;
      const value = Buffer.alloc(size, 'z');
      const cmd = encodeCommand(['SET', 'huge2', value]);
      const replyP = c.readReply();
      for (let i = 0; i < cmd.length; i += 65536) {
        if (!c.socket.write(cmd.subarray(i, i + 65536))) {
          await new Promise((r) => c.socket.once('drain', r));
        }
      }
      expect((await replyP).toString()).toBe('+OK\r\n');
      expect((await c.send('STRLEN', 'huge2')).toString()).toBe(`:${size}\r\n`);
      expect((await c.send('DEL', 'huge2')).toString()).toBe(':1\r\n');
    } finally {
      await c.close();
    }
  });
});
