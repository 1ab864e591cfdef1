/** `node:url` for the playground bundle: any URL maps to a path under a virtual root. */
export function fileURLToPath(url: string | URL | undefined): string {
  try {
    return '/wasmdis' + new URL(String(url)).pathname;
  } catch {
    return '/wasmdis/engine/wasm.js';
  }
}
export function pathToFileURL(p: string): URL {
  return new URL('file://' + p);
}
export default { fileURLToPath, pathToFileURL };
