/**
 * Packaging (issue #6 item 6): `npm pack`, install the tarball into an empty project, and use it
 * the way a user would — `import` the server, the in-process engine and the framework by package
 * name, and run the `wasmdis` binary — with nothing from this checkout on the module path.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let project: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wasmdis-pack-'));
  await run('npm', ['pack', '--pack-destination', dir], { cwd: root });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  project = join(dir, 'project');
  await run('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty-project', version: '1.0.0', type: 'module', private: true }));
  // no dependencies in the package: the tarball alone installs, offline
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: project });
}, 180_000);

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('npm pack', () => {
  it('installs into an empty project with its WASM build and type declarations', () => {
    const pkg = join(project, 'node_modules', 'wasmdis');
    expect(existsSync(join(pkg, 'build', 'wasmdis.wasm'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'src', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'src', 'framework', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'src'))).toBe(false); // compiled output only
  });

  it('imports the server, the in-process engine and the framework by name', async () => {
    writeFileSync(join(project, 'use.mjs'), `
      import net from 'node:net';
      import { startServer, Engine } from 'wasmdis';
      import { listen } from 'wasmdis/framework';

      /** One command over a raw socket; resolves with the reply bytes as text. */
      const ask = (port, line) => new Promise((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => s.write(line));
        let got = '';
        s.on('data', (d) => { got += d; if (got.endsWith('\\r\\n')) { s.end(); resolve(got); } });
        s.on('error', reject);
      });

      const server = await startServer({ port: 0, bind: '127.0.0.1', logLevel: 'silent' });
      await ask(server.port, '*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nk\\r\\n$5\\r\\nhello\\r\\n');
      const fromServer = await ask(server.port, 'GET k\\r\\n');
      await server.close();

      const engine = await Engine.create();
      await engine.call('RPUSH', 'list', 'a', 'b');
      const fromEngine = await engine.call('LRANGE', 'list', 0, -1);

      const fw = await listen('127.0.0.1:0', (conn, cmd) => conn.writeString('SEEN ' + cmd.name));
      const fromFramework = await ask(fw.port, 'HELLOTHERE\\r\\n');
      const ping = await ask(fw.port, 'PING\\r\\n');
      await fw.close();

      console.log(JSON.stringify({ fromServer, fromEngine, fromFramework, ping }));
    `);
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: project, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({
      fromServer: '$5\r\nhello\r\n',
      fromEngine: ['a', 'b'],
      fromFramework: '+SEEN hellothere\r\n',
      ping: '+PONG\r\n',
    });
  }, 60_000);

  it('runs the wasmdis binary (npx wasmdis) from the project', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const child = spawn('npx', ['--offline', 'wasmdis', '--port', String(port), '--bind', '127.0.0.1', '--save', ''], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    try {
      let log = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line: ${log}`)), 30_000);
        const onData = (d: Buffer): void => { log += d; if (log.includes('Ready to accept connections')) { clearTimeout(timer); resolve(); } };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (c) => { clearTimeout(timer); reject(new Error(`exited ${c}: ${log}`)); });
      });
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
      expect(stdout).toBe('PONG\n');
    } finally {
      // npx runs the binary in a child process of its own: stop the whole group
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
    }
  }, 60_000);
});
