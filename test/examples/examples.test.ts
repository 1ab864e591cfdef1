/**
 * examples/: each example is started the way its header says (`node examples/<name>.mjs`, here
 * with `--port 0`), and driven with a real client: ioredis, and redis-cli where the example says
 * to use it. The examples import `wasmdis/framework` / `wasmdis` by package name, as a user's code
 * does (the package resolves itself through its `exports`).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

/** Start an example; resolves with its port once it prints "listening on host:port". */
function start(name: string, ...args: string[]): Promise<{ port: number; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [`examples/${name}.mjs`, '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 15000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /listening on [^\s]*:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ port: Number(m[1]), child, output: () => out }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}): ${out}`)); });
  });
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

/** The SET/GET/DEL/PING/QUIT contract both key-value examples keep. */
async function checkKeyValue(port: number, tls = false): Promise<void> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, ...(tls ? { tls: { rejectUnauthorized: false } } : {}) });
  await redis.connect();
  try {
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.get('greeting')).toBeNull();
    expect(await redis.set('greeting', 'hello')).toBe('OK');
    expect(await redis.get('greeting')).toBe('hello');
    const binary = Buffer.from([0, 255, 13, 10, 7]);
    await redis.set('bin', binary);
    expect(await redis.getBuffer('bin')).toEqual(binary);
    expect(await redis.del('greeting')).toBe(1);
    expect(await redis.del('greeting')).toBe(0);
    await expect(redis.call('set', 'only-key')).rejects.toThrow("ERR wrong number of arguments for 'set' command");
    await expect(redis.call('nosuch')).rejects.toThrow("ERR unknown command 'nosuch'");
    // a pipeline of 1,000 commands
    const p = redis.pipeline();
    for (let i = 0; i < 500; i++) p.set(`k${i}`, `v${i}`).get(`k${i}`);
    const res = (await p.exec())!;
    expect(res.filter(([, v], i) => v === (i % 2 ? `v${(i - 1) / 2}` : 'OK')).length).toBe(1000);
    expect(await redis.quit()).toBe('OK');
  } finally {
    redis.disconnect();
  }
}

describe('examples', () => {
  it('memory_kv (RedHub style) serves ioredis and redis-cli', async () => {
    const { port } = await start('memory_kv');
    await checkKeyValue(port);
    const cli = await run('redis-cli', ['-p', String(port), 'set', 'cli', 'yes']);
    expect(cli.stdout).toBe('OK\n');
    expect((await run('redis-cli', ['-p', String(port), 'get', 'cli'])).stdout).toBe('yes\n');
  });

  it('clone (redcon style) serves ioredis, and DETACH hands the socket to plain code', async () => {
    const { port, output } = await start('clone');
    await checkKeyValue(port);
    const { stdout } = await run('redis-cli', ['-p', String(port), 'detach']);
    expect(stdout).toBe('OK\n');
    expect(output()).toContain('connection has been detached');
  });

  it('tls serves the clone over TLS (ioredis and redis-cli --tls)', async () => {
    const { port } = await start('tls');
    await checkKeyValue(port, true);
    const { stdout } = await run('redis-cli', ['--tls', '--insecure', '-p', String(port), 'ping']);
    expect(stdout).toBe('PONG\n');
    // plain TCP to a TLS port is not served
    const plain = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
    plain.on('error', () => {});
    await expect(plain.connect().then(() => plain.ping())).rejects.toThrow();
    plain.disconnect();
  });

  it('custom-command: CAS and RATELIMIT beside the built-in commands (ioredis, redis-cli)', async () => {
    const { port } = await start('custom-command');
    const redis = new Redis({ port, host: '127.0.0.1' });
    try {
      await redis.set('color', 'red');
      expect(await redis.call('cas', 'color', 'red', 'blue')).toBe(1);
      expect(await redis.call('cas', 'color', 'red', 'green')).toBe(0);
      expect(await redis.get('color')).toBe('blue');
      await redis.lpush('list', 'x');
      await expect(redis.call('cas', 'list', 'a', 'b')).rejects.toThrow(/^WRONGTYPE/);
      await expect(redis.call('cas', 'color')).rejects.toThrow("ERR wrong number of arguments for 'cas' command");
      // queued in MULTI, run in EXEC with the built-in commands
      const tx = await redis.multi().set('n', 'one').call('cas', 'n', 'one', 'two').get('n').exec();
      expect(tx!.map(([, v]) => v)).toEqual(['OK', 1, 'two']);
      expect(await redis.call('ratelimit', 'api', '2', '60')).toBe(1);
      expect(await redis.call('ratelimit', 'api', '2', '60')).toBe(0);
      await expect(redis.call('ratelimit', 'api', '2', '60')).rejects.toThrow(/^LIMITED try again in \d+ seconds/);
      expect(await redis.ttl('api')).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    const info = await run('redis-cli', ['-p', String(port), 'command', 'info', 'cas']);
    expect(info.stdout.split('\n').slice(0, 6)).toEqual(['cas', '4', 'write', 'denyoom', '1', '1']);
    const keys = await run('redis-cli', ['-p', String(port), 'command', 'getkeys', 'ratelimit', 'k1', '5', '10']);
    expect(keys.stdout).toBe('k1\n');
  });

  it('memory_kv --threads 2 serves from two worker processes, round-robin', async () => {
    const { port, child } = await start('memory_kv', '--threads', '2');
    // connections alternate between the workers; each worker has its own map, so a key set on
    // one connection is seen by every second connection after it
    const clients = Array.from({ length: 4 }, () => new Redis({ port, host: '127.0.0.1' }));
    try {
      for (const c of clients) expect(await c.ping()).toBe('PONG');
      expect(await clients[0]!.set('where', 'here')).toBe('OK');
      const seen = await Promise.all(clients.map((c) => c.get('where')));
      expect(seen).toEqual(['here', null, 'here', null]);
      await checkKeyValue(port);
    } finally {
      for (const c of clients) c.disconnect();
    }
    // SIGTERM to the primary stops the workers too
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('pubsub: PSUBSCRIBE and PUBLISH with ioredis, and its own SEND command', async () => {
    const { port } = await start('pubsub');
    const sub = new Redis({ port, host: '127.0.0.1' });
    const pub = new Redis({ port, host: '127.0.0.1' });
    try {
      const got: string[] = [];
      const two = new Promise<void>((resolve) => sub.on('pmessage', (pattern: string, channel: string, message: string) => {
        got.push(`${pattern} ${channel} ${message}`);
        if (got.length === 2) resolve();
      }));
      expect(await sub.psubscribe('news.*')).toBe(1);
      expect(await pub.publish('news.tech', 'WASM everywhere')).toBe(1);
      expect(await pub.publish('weather', 'rain')).toBe(0);
      expect(await pub.call('send', 'news.x', 'hi')).toBe(1);
      await two;
      expect(got[0]).toBe('news.* news.tech WASM everywhere');
      expect(got[1]).toMatch(/^news\.\* news\.x \d{4}-\d\d-\d\dT[\d:.]+Z hi$/);
      await expect(pub.call('send', 'x')).rejects.toThrow("ERR wrong number of arguments for 'send' command");
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });
});
