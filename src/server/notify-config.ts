/**
 * `notify-keyspace-events`: Redis's class letters ⇄ the engine's class bits (assembly/notify.ts).
 * CONFIG GET shows the canonical form Redis 7.0 prints, not what was set ("KEA" reads back "AKE").
 */

const K = 1 << 0, E = 1 << 1, G = 1 << 2, STR = 1 << 3, L = 1 << 4, S = 1 << 5, H = 1 << 6, Z = 1 << 7;
const X = 1 << 8, EV = 1 << 9, T = 1 << 10, M = 1 << 11, D = 1 << 13, N = 1 << 14;
/** 'A': every class except key-miss (m) and new-key (n). */
const ALL = G | STR | L | S | H | Z | X | EV | T | D;

const LETTERS: Record<string, number> = {
  A: ALL, g: G, $: STR, l: L, s: S, h: H, z: Z, x: X, e: EV, K, E, t: T, m: M, d: D, n: N,
};

/** The error text (after Redis's CONFIG SET prefix) for a string with an unknown letter. */
export const NOTIFY_CLASS_ERROR = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** Class bits of a notify-keyspace-events string, or undefined when a letter is unknown. */
export function notifyFlagsFromString(s: string): number | undefined {
  let flags = 0;
  for (const c of s) {
    const bit = LETTERS[c];
    if (bit === undefined) return undefined;
    flags |= bit;
  }
  return flags;
}

/** Redis's canonical string for class bits ('A' replaces the whole set, then K E m). */
export function notifyFlagsToString(flags: number): string {
  let out = '';
  if ((flags & ALL) === ALL) out += 'A';
  else {
    const order: [number, string][] = [[G, 'g'], [STR, '$'], [L, 'l'], [S, 's'], [H, 'h'], [Z, 'z'], [X, 'x'], [EV, 'e'], [T, 't'], [D, 'd'], [N, 'n']];
    for (const [bit, c] of order) if (flags & bit) out += c;
  }
  if (flags & K) out += 'K';
  if (flags & E) out += 'E';
  if (flags & M) out += 'm';
  return out;
}

/** Class bits as letters that parse back to exactly the same bits (the stored form). */
export function notifyFlagsToExactString(flags: number): string {
  const s = notifyFlagsToString(flags);
  return (flags & ALL) === ALL && (flags & N) ? `${s}n` : s;
}
