/**
 * Splitting a typed line into arguments the way redis-cli does: blanks separate arguments;
 * "double quotes" take escapes (\n \r \t \b \a \xHH, any other \c is c); 'single quotes' take
 * only \'; a closing quote must be followed by a blank or the end of the line. Works on UTF-8
 * bytes, so \xHH can produce any byte.
 */

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c;
const hexVal = (c: number | undefined): number => {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
};

/** The arguments of `line`, or undefined when its quotes are unbalanced (redis-cli: "Invalid argument(s)"). */
export function splitArgs(line: string): Uint8Array[] | undefined {
  const p = new TextEncoder().encode(line);
  const args: Uint8Array[] = [];
  let i = 0;
  for (;;) {
    while (i < p.length && isSpace(p[i])) i++;
    if (i >= p.length) return args;
    const cur: number[] = [];
    let inDouble = false;
    let inSingle = false;
    for (let done = false; !done;) {
      const c = p[i];
      if (inDouble) {
        if (c === 0x5c && p[i + 1] === 0x78 && hexVal(p[i + 2]) >= 0 && hexVal(p[i + 3]) >= 0) {
          cur.push(hexVal(p[i + 2]) * 16 + hexVal(p[i + 3]));
          i += 3;
        } else if (c === 0x5c && i + 1 < p.length) {
          i++;
          const e = p[i];
          cur.push(e === 0x6e ? 10 : e === 0x72 ? 13 : e === 0x74 ? 9 : e === 0x62 ? 8 : e === 0x61 ? 7 : e);
        } else if (c === 0x22) {
          if (i + 1 < p.length && !isSpace(p[i + 1])) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else {
          cur.push(c);
        }
      } else if (inSingle) {
        if (c === 0x5c && p[i + 1] === 0x27) {
          i++;
          cur.push(0x27);
        } else if (c === 0x27) {
          if (i + 1 < p.length && !isSpace(p[i + 1])) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else {
          cur.push(c);
        }
      } else if (c === undefined || isSpace(c)) {
        done = true;
      } else if (c === 0x22) {
        inDouble = true;
      } else if (c === 0x27) {
        inSingle = true;
      } else {
        cur.push(c);
      }
      if (i < p.length) i++;
    }
    args.push(Uint8Array.from(cur));
  }
}

/** Encode arguments as one RESP multibulk request (what redis-cli sends). */
export function encodeRequest(args: readonly Uint8Array[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode(`*${args.length}\r\n`)];
  for (const a of args) parts.push(enc.encode(`$${a.length}\r\n`), a, enc.encode('\r\n'));
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) { out.set(x, at); at += x.length; }
  return out;
}
