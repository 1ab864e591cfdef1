/**
 * Redis's glob matcher (util.c stringmatchlen, 7.0) for the host side:
 * COMMAND LIST FILTERBY PATTERN, CONFIG GET and the like. Works on bytes with
 * C's conventions (a NUL past the end, signed chars, ASCII-only tolower), so
 * odd patterns behave as they do in redis-server.
 */

const toBytes = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

/** C's tolower in the "C" locale. */
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
/** A byte as C's signed `char`. */
const signed = (c: number): number => (c > 127 ? c - 256 : c);

/**
 * Does `str` match the glob `pattern`? `*`, `?`, `[abc]`, `[^a-z]`, `\x`.
 * @param nocase ASCII case-insensitive (Redis passes 1 for COMMAND LIST and CONFIG GET)
 */
export function stringMatch(pattern: string | Uint8Array, str: string | Uint8Array, nocase = false): boolean {
  const skipLonger = { value: false };
  return matchAt(toBytes(pattern), 0, toBytes(str), 0, nocase, skipLonger);
}

function matchAt(p: Uint8Array, pi: number, s: Uint8Array, si: number, nocase: boolean, skipLonger: { value: boolean }): boolean {
  const at = (i: number) => (i < p.length ? p[i]! : 0); // the sds NUL terminator past the end
  let plen = p.length - pi;
  let slen = s.length - si;
  while (plen > 0 && slen > 0) {
    switch (at(pi)) {
      case 0x2a /* * */: {
        while (plen > 0 && at(pi + 1) === 0x2a) { pi++; plen--; }
        if (plen === 1) return true;
        while (slen > 0) {
          if (matchAt(p, pi + 1, s, si, nocase, skipLonger)) return true;
          if (skipLonger.value) return false;
          si++; slen--;
        }
        // Nothing after this star matches anywhere in the rest: no earlier star can help.
        skipLonger.value = true;
        return false;
      }
      case 0x3f /* ? */:
        si++; slen--;
        break;
      case 0x5b /* [ */: {
        pi++; plen--;
        const not = at(pi) === 0x5e /* ^ */;
        if (not) { pi++; plen--; }
        let match = false;
        const c0 = s[si]!;
        for (;;) {
          if (at(pi) === 0x5c /* \ */ && plen >= 2) {
            pi++; plen--;
            if (at(pi) === c0) match = true;
          } else if (at(pi) === 0x5d /* ] */) {
            break;
          } else if (plen === 0) {
            pi--; plen++;
            break;
          } else if (plen >= 3 && at(pi + 1) === 0x2d /* - */) {
            let start = signed(at(pi));
            let end = signed(at(pi + 2));
            let c = signed(c0);
            if (start > end) [start, end] = [end, start];
            if (nocase) { start = lower(start); end = lower(end); c = lower(c); }
            pi += 2; plen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (nocase ? lower(at(pi)) === lower(c0) : at(pi) === c0) {
            match = true;
          }
          pi++; plen--;
        }
        if (not) match = !match;
        if (!match) return false;
        si++; slen--;
        break;
      }
      default: {
        if (at(pi) === 0x5c /* \ */ && plen >= 2) { pi++; plen--; } // escaped: the next byte is literal
        if (nocase ? lower(at(pi)) !== lower(s[si]!) : at(pi) !== s[si]) return false;
        si++; slen--;
        break;
      }
    }
    pi++; plen--;
    if (slen === 0) {
      while (at(pi) === 0x2a) { pi++; plen--; }
      break;
    }
  }
  return plen === 0 && slen === 0;
}
