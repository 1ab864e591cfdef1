// Keyspace hashing: a seeded 32-bit hash of byte strings (murmur3-style mixing).
//
// The seed is random per shared memory (set once in init), so bucket layout cannot be predicted
// by clients (hash flooding). No allocation; reads 4 bytes at a time (wasm allows unaligned loads).

// @ts-ignore: decorator
@inline
function mix(k: u32): u32 {
  k *= 0xCC9E2D51;
  k = rotl<u32>(k, 15);
  return k * 0x1B873593;
}

/** Hash bytes [p, p+len) with `seed`. */
export function hashBytes(p: usize, len: usize, seed: u32): u32 {
  let h = seed ^ <u32>len;
  const end4 = p + (len & ~3);
  let q = p;
  while (q < end4) {
    h ^= mix(load<u32>(q));
    h = rotl<u32>(h, 13) * 5 + 0xE6546B64;
    q += 4;
  }
  let tail: u32 = 0;
  const rest = len & 3;
  if (rest >= 3) tail |= <u32>load<u8>(q + 2) << 16;
  if (rest >= 2) tail |= <u32>load<u8>(q + 1) << 8;
  if (rest >= 1) { tail |= <u32>load<u8>(q); h ^= mix(tail); }
  h ^= h >> 16;
  h *= 0x85EBCA6B;
  h ^= h >> 13;
  h *= 0xC2B2AE35;
  h ^= h >> 16;
  return h;
}
