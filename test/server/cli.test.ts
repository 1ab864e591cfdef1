// The `wasmdis` command as a user runs it: redis.conf files and --overrides, the startup log,
// clean exits on SIGTERM / SIGINT / SHUTDOWN, and bad configuration refused before starting.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/redis-oracle.js';
import { RawClient } from '../helpers/raw-client.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const children: ChildProcess[] = [];

interface Running { child: ChildProcess; output: () => string; exited: Promise<number | null> }

function run(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('wasmdis CLI', () => {
  it('reads a redis.conf, applies --overrides after it, and serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmdis-cli-'));
    const port = await freePort();
    const conf = join(dir, 'redis.conf');
    writeFileSync(conf, [
      '# a redis.conf with directives wasmdis acts on and ones it only records',
      `port ${port + 1}`,
      'bind 127.0.0.1',
      'databases 4',
      'requirepass "s3cret"',
      'always-show-logo no',
      'save 900 1 300 10',
      'client-output-buffer-limit normal 0 0 0',
      '',
    ].join('\n'));
    const s = run([conf, '--port', String(port), '--loglevel', 'notice']);
    await waitFor(() => s.output().includes('Ready to accept connections'));
    expect(s.output()).toMatch(/wasmdis is starting/);
    const c = await RawClient.connect(port);
    expect((await c.send('PING')).toString()).toBe('-NOAUTH Authentication required.\r\n');
    expect((await c.send('AUTH', 's3cret')).toString()).toBe('+OK\r\n');
    expect((await c.send('SELECT', '3')).toString()).toBe('+OK\r\n');
    expect((await c.send('SELECT', '4')).toString()).toBe('-ERR DB index is out of range\r\n');
    expect((await c.send('CONFIG', 'GET', 'save')).toString()).toBe('*2\r\n$4\r\nsave\r\n$12\r\n900 1 300 10\r\n');
    expect((await c.send('CONFIG', 'GET', 'port')).toString()).toContain(`\r\n${port}\r\n`);
    await c.close();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/Received SIGTERM scheduling shutdown/);
  });

  it('exits 0 on SIGINT and on SHUTDOWN', async () => {
    const port = await freePort();
    const a = run(['--port', String(port), '--bind', '127.0.0.1']);
    await waitFor(() => a.output().includes('Ready to accept connections'));
    a.child.kill('SIGINT');
    expect(await a.exited).toBe(0);

    const port2 = await freePort();
    const b = run(['--port', String(port2), '--bind', '127.0.0.1']);
    await waitFor(() => b.output().includes('Ready to accept connections'));
    const c = await RawClient.connect(port2);
    c.write('*1\r\n$8\r\nSHUTDOWN\r\n');
    expect(await c.waitClosed(5000)).toBe(true);
    expect(await b.exited).toBe(0);
  });

  it('refuses bad configuration before starting, as redis-server does', async () => {
    const bad = run(['--port', 'notaport']);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/FATAL CONFIG/);
    const unknown = run(['--no-such-directive', 'x']);
    expect(await unknown.exited).toBe(1);
    expect(unknown.output()).toMatch(/Bad directive/);
  });

  it('writes and removes its pidfile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmdis-pid-'));
    const pidfile = join(dir, 'w.pid');
    const port = await freePort();
    const s = run(['--port', String(port), '--bind', '127.0.0.1', '--pidfile', pidfile]);
    await waitFor(() => s.output().includes('Ready to accept connections'));
    expect(existsSync(pidfile)).toBe(true);
    s.child.kill('SIGTERM');
    await s.exited;
    expect(existsSync(pidfile)).toBe(false);
  });
});
