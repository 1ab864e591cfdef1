/** `node:crypto` for the playground bundle: randomBytes from the Web Crypto API. */
export function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  crypto.getRandomValues(b);
  return b;
}
export default { randomBytes };
