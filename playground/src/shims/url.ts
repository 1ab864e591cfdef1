/** `node:url` for the playground bundle: any URL maps to a path under a virtual root. */
export function fileURLToPath(url: string | URL): string {
  return '/wasmdis' + new URL(String(url)).pathname;
}
export function pathToFileURL(p: string): URL {
  return new URL('file://' + p);
}
export default { fileURLToPath, pathToFileURL };
