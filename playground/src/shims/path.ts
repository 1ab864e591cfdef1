/** `node:path` for the playground bundle: the POSIX join/dirname the engine's loader uses. */
export function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/+/g, '/');
}
export function dirname(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
export function basename(p: string): string {
  return p.replace(/\/+$/, '').split('/').pop() ?? '';
}
export function resolve(...parts: string[]): string {
  return join('/', ...parts);
}
export default { join, dirname, basename, resolve };
