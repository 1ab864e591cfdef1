/**
 * `node:fs` for the playground bundle: a one-file virtual file system. The worker fetches the
 * engine's .wasm and registers it with {@link provideFile}; wasm.ts then reads it with
 * readFileSync as under Node (its package.json probe gets a stub). Everything else is absent.
 */
const files = new Map<string, Uint8Array>();

/** Make `bytes` the contents of every path ending in `/name`. */
export function provideFile(name: string, bytes: Uint8Array): void {
  files.set(name, bytes);
}

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
}

export function readFileSync(path: string, enc?: unknown): Uint8Array | string {
  const name = String(path).split('/').pop() ?? '';
  if (name === 'package.json') return enc ? '{}' : new TextEncoder().encode('{}');
  const bytes = files.get(name);
  if (!bytes) throw notFound(String(path));
  return enc ? new TextDecoder().decode(bytes) : Buffer.from(bytes);
}

export function existsSync(path: string): boolean {
  return files.has(String(path).split('/').pop() ?? '');
}

const unsupported = (what: string) => () => {
  throw new Error(`${what}: no file system in the browser`);
};
export const writeFileSync = unsupported('writeFileSync');
export const appendFileSync = unsupported('appendFileSync');
export const rmSync = unsupported('rmSync');
export default { readFileSync, existsSync, writeFileSync, appendFileSync, rmSync };
