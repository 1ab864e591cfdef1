#!/usr/bin/env node
/**
 * The in-browser playground: build it into playground/dist/ and serve it.
 *
 *   node scripts/playground.mjs build            → playground/dist/ (static: host it anywhere)
 *   node scripts/playground.mjs [serve] [--port N] [--host H] [--no-isolation]
 *                                                → builds if needed, serves on http://H:N/
 *
 * The page bundles src/engine (esbuild, browser platform; Node built-ins replaced by the small
 * shims in playground/src/shims) and loads build/wasmdis.wasm when the page is cross-origin
 * isolated (the server sends COOP/COEP unless --no-isolation), build/wasmdis-local.wasm
 * otherwise. A service worker (sw.js, generated with the file list) keeps it working offline.
 * Also importable: buildPlayground(), servePlayground() (the browser tests use them).
 */
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'playground');
const out = path.join(src, 'dist');
const WASM = ['wasmdis.wasm', 'wasmdis-local.wasm'];
const STATIC = ['index.html', 'style.css'];

/** Newest modification time under `dir` for files ending in one of `exts`. */
function newest(dir, exts) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== out) t = Math.max(t, newest(p, exts));
    } else if (exts.some((x) => e.name.endsWith(x))) {
      t = Math.max(t, fs.statSync(p).mtimeMs);
    }
  }
  return t;
}

/** Whether playground/dist is older than anything it is built from. */
function stale() {
  const marker = path.join(out, 'sw.js');
  if (!fs.existsSync(marker)) return true;
  const built = fs.statSync(marker).mtimeMs;
  const inputs = Math.max(
    newest(src, ['.ts', '.html', '.css']),
    newest(path.join(root, 'src'), ['.ts']),
    ...WASM.map((f) => (fs.existsSync(path.join(root, 'build', f)) ? fs.statSync(path.join(root, 'build', f)).mtimeMs : Infinity)),
    fs.statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
  return inputs > built;
}

/** Map `node:*` imports to the playground's shims. */
const shims = {
  name: 'wasmdis-node-shims',
  setup(build) {
    const shim = (f) => path.join(src, 'src', 'shims', f);
    const table = {
      fs: 'fs.ts', path: 'path.ts', url: 'url.ts', crypto: 'crypto.ts', os: 'os.ts',
      stream: 'stream.ts', net: 'stream.ts', tls: 'stream.ts', worker_threads: 'stream.ts',
    };
    build.onResolve({ filter: /^node:/ }, (args) => {
      const name = args.path.slice(5);
      if (name === 'buffer') return { path: path.join(root, 'node_modules', 'buffer', 'index.js') };
      const f = table[name];
      if (!f) return { errors: [{ text: `playground: no browser shim for ${args.path}` }] };
      return { path: shim(f) };
    });
  },
};

/**
 * Build playground/dist (skipped when up to date unless `force`). Builds the WASM first if
 * build/ has none. Returns sizes of what the page downloads.
 */
export async function buildPlayground({ force = false, quiet = false } = {}) {
  const log = quiet ? () => undefined : (s) => console.log(s);
  if (WASM.some((f) => !fs.existsSync(path.join(root, 'build', f)))) {
    log('playground: building the engine (node scripts/build.mjs --if-needed)');
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-needed'], { cwd: root, stdio: quiet ? 'ignore' : 'inherit' });
  }
  if (!force && !stale()) {
    log('playground: playground/dist is up to date');
    return sizes();
  }
  const esbuild = await import('esbuild');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const common = {
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: quiet ? 'error' : 'warning',
  };
  // the page itself needs no Node shims; the worker carries the engine's host code
  await esbuild.build({ ...common, entryPoints: { main: path.join(src, 'src', 'main.ts') } });
  await esbuild.build({
    ...common,
    entryPoints: { worker: path.join(src, 'src', 'worker.ts') },
    plugins: [shims],
    inject: [path.join(src, 'src', 'shims', 'globals.ts')],
  });
  for (const f of STATIC) fs.copyFileSync(path.join(src, f), path.join(out, f));
  for (const f of WASM) fs.copyFileSync(path.join(root, 'build', f), path.join(out, f));
  // the service worker: a cache named after the contents, holding every file of the page
  const files = ['./', ...fs.readdirSync(out).filter((f) => !f.endsWith('.map')).map((f) => './' + f)];
  const hash = createHash('sha256');
  for (const f of fs.readdirSync(out).sort()) hash.update(f).update(fs.readFileSync(path.join(out, f)));
  const sw = fs.readFileSync(path.join(src, 'sw.js'), 'utf8')
    .replace('__VERSION__', hash.digest('hex').slice(0, 12))
    .replace('__FILES__', JSON.stringify(files.concat('./sw.js')));
  fs.writeFileSync(path.join(out, 'sw.js'), sw);
  const s = sizes();
  log(`playground: built playground/dist (main.js ${kib(s['main.js'])}, worker.js ${kib(s['worker.js'])}, wasmdis-local.wasm ${kib(s['wasmdis-local.wasm'])})`);
  return s;
}

function kib(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}

function sizes() {
  const s = {};
  for (const f of fs.readdirSync(out)) s[f] = fs.statSync(path.join(out, f)).size;
  return s;
}

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.map': 'application/json; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

/** Served gzip-compressed when the browser accepts it. */
const COMPRESS = new Set(['.html', '.js', '.css', '.wasm', '.map', '.json', '.svg']);

/**
 * Serve playground/dist on host:port (0 = any free port). With `isolation` (default) every
 * response carries COOP/COEP, so the page is cross-origin isolated and uses shared memory.
 * Resolves with { url, port, close() }.
 */
export function servePlayground({ port = 0, host = '127.0.0.1', isolation = true } = {}) {
  const server = createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end(); // a malformed path or escape
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.normalize(path.join(out, rel));
    if (!file.startsWith(out + path.sep) || req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 403 : 405).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      const gzip = !err && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && COMPRESS.has(path.extname(file));
      if (gzip) body = gzipSync(body);
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      const headers = {
        'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-cache',
        vary: 'accept-encoding',
        'x-content-type-options': 'nosniff',
      };
      if (gzip) headers['content-encoding'] = 'gzip';
      if (isolation) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
        headers['cross-origin-resource-policy'] = 'same-origin';
      }
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${a.port}/`, port: a.port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const cmd = argv[0] && !argv[0].startsWith('--') ? argv.shift() : 'serve';
  const opt = (name, dflt) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
  };
  if (cmd === 'build') {
    await buildPlayground({ force: true });
    return;
  }
  if (cmd !== 'serve') {
    console.error(`usage: node scripts/playground.mjs [build | serve [--port N] [--host H] [--no-isolation]]`);
    process.exit(2);
  }
  await buildPlayground();
  const host = opt('host', '127.0.0.1');
  const wanted = Number(opt('port', '8737'));
  let srv;
  try {
    srv = await servePlayground({ port: wanted, host, isolation: !argv.includes('--no-isolation') });
  } catch (e) {
    if (e.code !== 'EADDRINUSE' || argv.includes('--port')) throw e;
    srv = await servePlayground({ port: 0, host, isolation: !argv.includes('--no-isolation') });
  }
  console.log(`\n  wasmdis playground: ${srv.url}\n\n  (Ctrl+C to stop)\n`);
  const stop = () => srv.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e?.stack ?? String(e));
    process.exit(1);
  });
}
