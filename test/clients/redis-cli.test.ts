/**
 * redis-cli (spawned) against the target: one-shot commands, --no-raw formatting, RESP3 (-3),
 * INFO, commands piped on stdin, --pipe mass insertion, -x, -r, -n, --scan.
 */
import { it, expect, beforeEach } from 'vitest';
import { spawn } from 'node:child_process';
import { describeWithBinary } from '../helpers/redis-oracle.js';
import { useTarget } from '../helpers/targets.js';
import { RawClient } from '../helpers/raw-client.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string | Buffer, timeoutMs = 15_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

describeWithBinary('redis-cli', 'client: redis-cli', () => {
  const target = useTarget();
  const cli = (args: string[], input?: string | Buffer) => {
    const t = target();
    return run('redis-cli', ['-h', t.host, '-p', String(t.port), ...args], input);
  };
  const out = async (args: string[], input?: string | Buffer) => {
    const r = await cli(args, input);
    expect(r.stderr, `stderr of redis-cli ${args.join(' ')}`).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  beforeEach(async () => {
    const c = await RawClient.connect(target().port, { host: target().host });
    await c.send('FLUSHALL');
    await c.close();
  });

  it('ping, set, get', async () => {
    expect(await out(['ping'])).toBe('PONG\n');
    expect(await out(['set', 'k', 'v'])).toBe('OK\n');
    expect(await out(['get', 'k'])).toBe('v\n');
    expect(await out(['set', 'sp', 'hello world'])).toBe('OK\n');
    expect(await out(['get', 'sp'])).toBe('hello world\n');
    expect(await out(['get', 'missing'])).toBe('\n');
  });

  it('--no-raw formatting', async () => {
    await out(['set', 'k', 'v']);
    expect(await out(['--no-raw', 'get', 'k'])).toBe('"v"\n');
    expect(await out(['--no-raw', 'get', 'missing'])).toBe('(nil)\n');
    expect(await out(['--no-raw', 'incr', 'n'])).toBe('(integer) 1\n');
    expect(await out(['--no-raw', 'mget', 'k', 'missing', 'n'])).toBe('1) "v"\n2) (nil)\n3) "1"\n');
    expect(await out(['--no-raw', 'incr', 'k'])).toBe('(error) ERR value is not an integer or out of range\n');
    expect(await out(['--no-raw', 'keys', 'nomatch*'])).toBe('(empty array)\n');
    expect(await out(['--no-raw', 'set', 'b', '\x01\x02'])).toBe('OK\n');
    expect(await out(['--no-raw', 'get', 'b'])).toBe('"\\x01\\x02"\n');
  });

  it('-3 (RESP3) mode', async () => {
    expect(await out(['-3', 'ping'])).toBe('PONG\n');
    expect(await out(['-3', '--no-raw', 'get', 'missing'])).toBe('(nil)\n');
    expect(await out(['-3', 'set', 'k', '10'])).toBe('OK\n');
    expect(await out(['-3', '--no-raw', 'incrbyfloat', 'k', '1.5'])).toBe('"11.5"\n');
    const hello = await out(['-3', '--no-raw', 'hello', '3']);
    expect(hello).toContain('"server" => "redis"');
    expect(hello).toContain('"proto" => (integer) 3');
    await out(['-3', 'mset', 'k1', 'ohmytext', 'k2', 'mynewtext']);
    const idx = await out(['-3', '--no-raw', 'lcs', 'k1', 'k2', 'idx']);
    expect(idx).toContain('"matches" =>');
    expect(idx).toContain('"len" => (integer) 6');
  });

  it('info server', async () => {
    const info = await out(['info', 'server']);
    expect(info).toMatch(/^# Server\r?\n/);
    expect(info).toMatch(/redis_version:7\.\d+\.\d+/);
    expect(info).toMatch(/tcp_port:\d+/);
  });

  it('commands piped on stdin', async () => {
    const r = await out([], 'set a 1\nincr a\nincrby a 10\nget a\nget missing\nping\n');
    expect(r).toBe('OK\n2\n12\n12\n\nPONG\n');
    const nr = await out(['--no-raw'], 'set a "quoted value"\nget a\nexists a missing\n');
    expect(nr).toBe('OK\n"quoted value"\n(integer) 1\n');
  });

  it('-x reads the last argument from stdin', async () => {
    expect(await out(['-x', 'set', 'fromstdin'], 'payload\nwith newline')).toBe('OK\n');
    expect(await out(['strlen', 'fromstdin'])).toBe('20\n');
  });

  it('-r repeat, -n db, --scan', async () => {
    expect(await out(['-r', '3', 'incr', 'ctr'])).toBe('1\n2\n3\n');
    expect(await out(['-n', '2', 'set', 'indb2', 'v'])).toBe('OK\n');
    expect(await out(['get', 'indb2'])).toBe('\n');
    expect(await out(['-n', '2', 'get', 'indb2'])).toBe('v\n');
    for (let i = 0; i < 20; i++) await out(['set', `scan:${i}`, 'x']);
    const scanned = (await out(['--scan', '--pattern', 'scan:*'])).trim().split('\n').sort();
    expect(scanned).toEqual(Array.from({ length: 20 }, (_, i) => `scan:${i}`).sort());
  });

  it('--pipe mass insertion', async () => {
    let proto = '';
    for (let i = 0; i < 1000; i++) {
      const k = `mass:${i}`;
      const v = `value${i}`;
      proto += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
    }
    const r = await cli(['--pipe'], proto);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('errors: 0, replies: 1000');
    expect(await out(['get', 'mass:999'])).toBe('value999\n');
    expect(await out(['dbsize'])).toBe('1000\n');
  });

  it('errors: exit code with -e, error text on output', async () => {
    await out(['set', 's', 'abc']);
    const r = await cli(['-e', 'incr', 's']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('ERR value is not an integer or out of range');
    const w = await cli(['get']);
    expect(w.stdout + w.stderr).toContain("ERR wrong number of arguments for 'get' command");
  });
});
