/**
 * The server is built on the framework's transport: its listening sockets (bind lists, port 0,
 * sharing between worker threads) come from src/framework/listeners.ts, and nothing under
 * src/server or src/engine opens a listening socket of its own.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';

function sources(dir: URL): [string, string][] {
  return readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(new URL(f, dir), 'utf8')]);
}

describe('server on the framework', () => {
  it('takes its listeners from src/framework and opens none itself', () => {
    const server = sources(new URL('../../src/server/', import.meta.url));
    const engine = sources(new URL('../../src/engine/', import.meta.url));
    for (const [f, text] of [...server, ...engine]) {
      expect(text, `${f} creates a server`).not.toMatch(/\b(net|tls)\.createServer\(|\bcreateServer\(/);
    }
    const listen = server.find(([f]) => f === 'listen.ts')![1];
    expect(listen).toMatch(/from '\.\.\/framework\/listeners\.js'/);
  });
});
