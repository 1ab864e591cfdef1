// Glob-style matching with Redis's rules (KEYS, SCAN MATCH, later PSUBSCRIBE).
//
// '*' any sequence, '?' any byte, '[abc]' '[^abc]' '[a-z]' classes (reversed ranges work, an
// unterminated class ends at the end of the pattern), '\x' matches x literally. Iterative with a
// single backtrack point, so matching is O(len(pattern) × len(string)) and never recursive.

// @ts-ignore: decorator
@inline
function fold(c: u32, nocase: bool): u32 {
  return nocase && c >= 0x41 && c <= 0x5A ? c + 32 : c;
}

/**
 * Match the class starting at pattern[pi] (just after '['); returns the index just past the class,
 * negated (-(idx+1)) when byte c does not match.
 */
function matchClass(pat: usize, plen: usize, pi: usize, c: u32, nocase: bool): isize {
  let not = false;
  if (pi < plen && load<u8>(pat + pi) == 0x5E) { not = true; pi++; }
  let matched = false;
  while (pi < plen) {
    let pc = <u32>load<u8>(pat + pi);
    if (pc == 0x5D) break; // ']'
    if (pc == 0x5C && pi + 1 < plen) { // '\'
      pi++;
      if (fold(<u32>load<u8>(pat + pi), nocase) == fold(c, nocase)) matched = true;
    } else if (pi + 2 < plen && load<u8>(pat + pi + 1) == 0x2D) { // range a-z
      let lo = fold(pc, nocase);
      let hi = fold(<u32>load<u8>(pat + pi + 2), nocase);
      if (lo > hi) { const t = lo; lo = hi; hi = t; }
      const cc = fold(c, nocase);
      if (cc >= lo && cc <= hi) matched = true;
      pi += 2;
    } else if (fold(pc, nocase) == fold(c, nocase)) {
      matched = true;
    }
    pi++;
  }
  // pi is at ']' or at the end (unterminated class)
  const next = pi < plen ? pi + 1 : pi;
  if (not) matched = !matched;
  return matched ? <isize>next : -(<isize>next + 1);
}

/** Does string [str, str+slen) match glob pattern [pat, pat+plen)? */
export function globMatch(pat: usize, plen: usize, str: usize, slen: usize, nocase: bool): bool {
  // Redis matches nothing against an empty string, not even "*" (KEYS and SCAN short-cut a
  // lone "*" before matching, and so do their callers here)
  if (slen == 0) return plen == 0;
  let pi: usize = 0, si: usize = 0;
  let starP: isize = -1, starS: usize = 0;
  while (si < slen) {
    if (pi < plen) {
      const pc = <u32>load<u8>(pat + pi);
      if (pc == 0x2A) { // '*'
        while (pi < plen && load<u8>(pat + pi) == 0x2A) pi++;
        if (pi == plen) return true;
        starP = <isize>pi;
        starS = si;
        continue;
      }
      const c = <u32>load<u8>(str + si);
      if (pc == 0x3F) { pi++; si++; continue; } // '?'
      if (pc == 0x5B) { // '['
        const r = matchClass(pat, plen, pi + 1, c, nocase);
        if (r >= 0) { pi = <usize>r; si++; continue; }
      } else if (pc == 0x5C && pi + 1 < plen) { // '\'
        if (fold(<u32>load<u8>(pat + pi + 1), nocase) == fold(c, nocase)) { pi += 2; si++; continue; }
      } else if (fold(pc, nocase) == fold(c, nocase)) {
        pi++; si++; continue;
      }
    }
    if (starP < 0) return false;
    pi = <usize>starP;
    starS++;
    si = starS;
  }
  while (pi < plen && load<u8>(pat + pi) == 0x2A) pi++;
  return pi == plen;
}
