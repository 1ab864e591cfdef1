/**
 * The framework (src/framework): a redcon-style clone and a RedHub-style server driven by raw
 * sockets, redis-cli and ioredis; pipelines, inline requests, protocol errors, failing handlers,
 * QUIT/close, detach, Action.Shutdown, the encoders.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { listen, RedHub, Action, ReplyWriter, appendAny, appendOK, appendError, appendArray, appendBulkString, appendInt, type FrameworkServer } from '../../src/framework/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** redcon's clone example, in TypeScript: SET GET DEL PING QUIT DETACH over a Map. */
function clone(): Parameters<typeof listen>[1] {
  const items = new Map<string, Buffer>();
  return (conn, cmd) => {
    const a = cmd.args;
    switch (cmd.name) {
      case 'ping': conn.writeString('PONG'); break;
      case 'quit': conn.writeString('OK'); conn.close(); break;
      case 'set':
        if (a.length !== 3) { conn.writeError(`ERR wrong number of arguments for '${cmd.name}' command`); break; }
        items.set(a[1]!.toString('latin1'), a[2]!);
        conn.writeString('OK');
        break;
      case 'get': {
        if (a.length !== 2) { conn.writeError(`ERR wrong number of arguments for '${cmd.name}' command`); break; }
        const v = items.get(a[1]!.toString('latin1'));
        if (v === undefined) conn.writeNull(); else conn.writeBulk(v);
        break;
      }
      case 'del': {
        let n = 0;
        for (const k of a.slice(1)) if (items.delete(k.toString('latin1'))) n++;
        conn.writeInt(n);
        break;
      }
      case 'detach': {
        const socket = conn.detach();
        socket.write('+detached\r\n');
        socket.end();
        break;
      }
      case 'boom': throw new Error('handler failed');
      default: conn.writeError(`ERR unknown command '${a[0]!.toString('latin1')}'`);
    }
  };
}

describe('framework: redcon-style listen()', () => {
  let srv: FrameworkServer;
  const closedConns: string[] = [];
  beforeAll(async () => {
    srv = await listen('127.0.0.1:0', clone(), undefined, (conn) => closedConns.push(conn.remoteAddress));
  });
  afterAll(async () => { await srv.close(); });

  it('answers commands, a pipeline in one write, binary values', async () => {
    const c = await RawClient.connect(srv.port);
    expect((await c.send('PING')).toString()).toBe('+PONG\r\n');
    const bin = Buffer.from([0, 255, 13, 10, 1]);
    expect((await c.send('SET', 'k', bin)).toString()).toBe('+OK\r\n');
    expect((await c.send('GET', 'k')).equals(Buffer.concat([Buffer.from('$5\r\n'), bin, Buffer.from('\r\n')]))).toBe(true);
    let chunks = 0;
    c.socket.on('data', () => chunks++);
    const replies = await c.pipeline(Array.from({ length: 100 }, (_, i) => ['SET', `k${i}`, String(i)]));
    expect(replies.map(String)).toEqual(Array.from({ length: 100 }, () => '+OK\r\n'));
    expect(chunks).toBe(1); // 100 replies, one socket write
    expect((await c.send('DEL', 'k', 'k1', 'nokey')).toString()).toBe(':2\r\n');
    expect((await c.send('GET', 'k')).toString()).toBe('$-1\r\n');
    await c.close();
  });

  it('takes inline (telnet) requests', async () => {
    const c = await RawClient.connect(srv.port);
    c.write('SET greeting "hello world"\r\nGET greeting\r\n');
    expect((await c.readReplies(2)).map(String)).toEqual(['+OK\r\n', '$11\r\nhello world\r\n']);
    await c.close();
  });

  it('a handler that throws answers that command with an error; the connection and the server go on', async () => {
    const c = await RawClient.connect(srv.port);
    const replies = await c.pipeline([['PING'], ['BOOM'], ['PING']]);
    expect(replies.map(String)).toEqual(['+PONG\r\n', '-ERR handler failed\r\n', '+PONG\r\n']);
    await c.close();
  });

  it('malformed RESP: the commands before it run, then Redis\'s protocol error, then the connection closes', async () => {
    const c = await RawClient.connect(srv.port);
    c.write('*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n');
    const { bytes, closed } = await c.collect();
    expect(bytes.toString()).toBe("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    expect(closed).toBe(true);
    const d = await RawClient.connect(srv.port);
    expect((await d.send('PING')).toString()).toBe('+PONG\r\n');
    await d.close();
  });

  it('QUIT replies and closes; nothing after it runs; the closed callback fires', async () => {
    const c = await RawClient.connect(srv.port);
    const before = closedConns.length;
    c.write('*1\r\n$4\r\nQUIT\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n');
    const { bytes, closed } = await c.collect();
    expect(bytes.toString()).toBe('+OK\r\n');
    expect(closed).toBe(true);
    const d = await RawClient.connect(srv.port);
    expect((await d.send('GET', 'after')).toString()).toBe('$-1\r\n');
    await d.close();
    for (let i = 0; i < 100 && closedConns.length === before; i++) await new Promise((r) => setTimeout(r, 5));
    expect(closedConns.length).toBeGreaterThan(before);
  });

  it('detach hands the socket to the application', async () => {
    const c = await RawClient.connect(srv.port);
    c.write('*1\r\n$6\r\nDETACH\r\n');
    const { bytes, closed } = await c.collect();
    expect(bytes.toString()).toBe('+detached\r\n');
    expect(closed).toBe(true);
  });

  it('redis-cli works against it', async () => {
    // (asynchronously: the server runs in this process)
    const cli = async (...args: string[]) => (await promisify(execFile)('redis-cli', ['-p', String(srv.port), ...args])).stdout;
    expect(await cli('SET', 'cli', 'v')).toBe('OK\n');
    expect(await cli('GET', 'cli')).toBe('v\n');
    expect(await cli('NOPE')).toContain("unknown command 'NOPE'");
  });
});

describe('framework: RedHub-style handlers and actions', () => {
  it('onOpen greets, handler returns Close / Shutdown, onClose fires', async () => {
    const events: string[] = [];
    const hub = new RedHub({
      onOpen: () => { events.push('open'); return '+hello\r\n'; },
      onClose: () => { events.push('close'); },
      handler: (cmd, out) => {
        if (cmd.name === 'bye') { appendOK(out); return Action.Close; }
        if (cmd.name === 'shutdown') { appendOK(out); return Action.Shutdown; }
        appendArray(out, 2); appendBulkString(out, cmd.name); appendInt(out, cmd.args.length);
        return Action.None;
      },
    });
    const srv = await hub.listen('127.0.0.1:0');
    const c = await RawClient.connect(srv.port);
    expect((await c.readReply()).toString()).toBe('+hello\r\n');
    expect((await c.send('MYCMD', 'x')).toString()).toBe('*2\r\n$5\r\nmycmd\r\n:2\r\n');
    c.write('*1\r\n$3\r\nBYE\r\n');
    const { bytes, closed } = await c.collect();
    expect(bytes.toString()).toBe('+OK\r\n');
    expect(closed).toBe(true);
    const d = await RawClient.connect(srv.port);
    await d.readReply();
    d.write('*1\r\n$8\r\nSHUTDOWN\r\n');
    expect((await d.collect()).bytes.toString()).toBe('+OK\r\n');
    // the server stopped accepting
    await expect(RawClient.connect(srv.port)).rejects.toThrow();
    expect(events.filter((e) => e === 'open').length).toBe(2);
  });
});

describe('framework: handshake shims', () => {
  /** A server that knows SET and GET only (and, for the override test, PING). */
  const kv = (): Parameters<typeof listen>[1] => {
    const items = new Map<string, Buffer>();
    return (conn, cmd) => {
      if (cmd.name === 'set') { items.set(cmd.args[1]!.toString('latin1'), cmd.args[2]!); conn.writeString('OK'); }
      else if (cmd.name === 'get') { const v = items.get(cmd.args[1]!.toString('latin1')); if (v) conn.writeBulk(v); else conn.writeNull(); }
      else if (cmd.name === 'ping') conn.writeString('MINE');
      else conn.writeError(`ERR unknown command '${cmd.args[0]!.toString('latin1')}'`);
    };
  };

  it('ioredis connects (ready check, client name) and works', async () => {
    const srv = await listen('127.0.0.1:0', kv());
    const r = new Redis({ port: srv.port, host: '127.0.0.1', connectionName: 'fw-test', lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    expect(await r.set('a', '1')).toBe('OK');
    expect(await r.get('a')).toBe('1');
    expect(await r.client('GETNAME')).toBe('fw-test');
    r.disconnect();
    await srv.close();
  });

  for (const RESP of [2, 3] as const) {
    it(`node-redis (RESP${RESP}) connects (HELLO, CLIENT SETINFO, SELECT) and works`, async () => {
      const srv = await listen('127.0.0.1:0', kv());
      const c = createClient({ socket: { host: '127.0.0.1', port: srv.port, reconnectStrategy: false }, RESP, database: 0 });
      c.on('error', () => { /* surfaced through the calls */ });
      await c.connect();
      expect(await c.set('b', '2')).toBe('OK');
      expect(await c.get('b')).toBe('2');
      expect(await c.ping()).toBe('PONG');
      await c.close();
      await srv.close();
    });
  }

  it('redis-cli in interactive-style use (COMMAND DOCS first) and one-shot', async () => {
    const srv = await listen('127.0.0.1:0', kv());
    const run = promisify(execFile);
    expect((await run('redis-cli', ['-p', String(srv.port), 'SET', 'c', '3'])).stdout).toBe('OK\n');
    expect((await run('redis-cli', ['-p', String(srv.port), 'COMMAND', 'DOCS'])).stdout).toBe('\n');
    expect((await run('redis-cli', ['-p', String(srv.port), 'INFO'])).stdout).toContain('redis_version:');
    await srv.close();
  });

  it('a shim switched off hands its command to the handler; shims: false turns them all off', async () => {
    const on = await listen('127.0.0.1:0', kv());
    const off = await listen('127.0.0.1:0', kv(), undefined, undefined, { shims: { ping: false } });
    const none = await listen('127.0.0.1:0', kv(), undefined, undefined, { shims: false });
    const ask = async (port: number, ...args: string[]) => {
      const c = await RawClient.connect(port);
      const r = (await c.send(...args)).toString();
      await c.close();
      return r;
    };
    expect(await ask(on.port, 'PING')).toBe('+PONG\r\n');
    expect(await ask(off.port, 'PING')).toBe('+MINE\r\n');
    expect(await ask(off.port, 'ECHO', 'e')).toBe('$1\r\ne\r\n');
    expect(await ask(none.port, 'ECHO', 'e')).toBe("-ERR unknown command 'ECHO'\r\n");
    expect(await ask(on.port, 'HELLO', '3')).toContain('proto');
    expect(await ask(on.port, 'HELLO', '4')).toBe('-NOPROTO unsupported protocol version\r\n');
    await Promise.all([on.close(), off.close(), none.close()]);
  });
});

describe('framework: TLS', () => {
  it('serves over TLS with a key and certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmdis-tls-'));
    try {
      await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
        '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost']);
      const key = readFileSync(join(dir, 'key.pem'));
      const cert = readFileSync(join(dir, 'cert.pem'));
      const srv = await listen('127.0.0.1:0', clone(), undefined, undefined, { tls: { key, cert } });
      const socket = tls.connect({ port: srv.port, host: '127.0.0.1', ca: cert, servername: 'localhost' });
      await new Promise<void>((resolve, reject) => { socket.once('secureConnect', () => resolve()); socket.once('error', reject); });
      const got = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (d: Buffer) => { text += d.toString(); if (text.split('\r\n').length > 3) resolve(text); });
      });
      socket.write('*3\r\n$3\r\nSET\r\n$1\r\nt\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\nt\r\n');
      expect(await got).toBe('+OK\r\n$1\r\n1\r\n');
      socket.destroy();
      await srv.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('framework: layering', () => {
  it('imports nothing from the wasmdis server, engine or command table (the server sits on top)', () => {
    const dir = new URL('../../src/framework/', import.meta.url);
    for (const f of readdirSync(dir)) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const i of imports) expect(i, `${f} imports ${i}`).not.toMatch(/\.\.\/(server|engine|commands)\//);
    }
  });
});

describe('framework: encoders', () => {
  it('appendAny renders every JavaScript type in RESP2 and RESP3', () => {
    const v = ['s', Buffer.from('b'), 7, 1.5, 10n, true, null, new Error('bad'), new Set([1]), new Map([['k', 'v']]), { o: 1 }];
    const two = appendAny(new ReplyWriter(2), v).toBuffer().toString();
    expect(two).toBe('*11\r\n$1\r\ns\r\n$1\r\nb\r\n:7\r\n$3\r\n1.5\r\n:10\r\n:1\r\n$-1\r\n-ERR bad\r\n*1\r\n:1\r\n*2\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$1\r\no\r\n:1\r\n');
    const three = appendAny(new ReplyWriter(3), v).toBuffer().toString();
    expect(three).toBe('*11\r\n$1\r\ns\r\n$1\r\nb\r\n:7\r\n,1.5\r\n:10\r\n#t\r\n_\r\n-ERR bad\r\n~1\r\n:1\r\n%1\r\n$1\r\nk\r\n$1\r\nv\r\n%1\r\n$1\r\no\r\n:1\r\n');
    expect(appendError(new ReplyWriter(), 'WRONGTYPE no').toBuffer().toString()).toBe('-WRONGTYPE no\r\n');
    expect(appendError(new ReplyWriter(), 'plain message').toBuffer().toString()).toBe('-ERR plain message\r\n');
  });
});
