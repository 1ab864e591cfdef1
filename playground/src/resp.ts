/**
 * RESP for the playground page: parse reply bytes into a typed tree (keeping RESP3's types,
 * which redis-cli shows differently), format it as redis-cli does on a terminal, and escape
 * raw protocol bytes for the RESP view. Pure functions, no DOM: also used by the Node tests.
 *
 * Tree: { t: 'status' | 'error' | 'int' | 'bulk' | 'nil' | 'double' | 'bool' | 'bignum' |
 *         'verbatim' | 'array' | 'set' | 'map' | 'push' | 'attr', … }
 * Aggregates keep their items flat (a map of n pairs has 2n items, key then value).
 */

/** One decoded reply. */
export type Reply =
  | { t: 'status' | 'error' | 'double' | 'bignum'; s: string }
  | { t: 'int'; n: string }
  | { t: 'bulk'; b: Uint8Array }
  | { t: 'verbatim'; format: string; b: Uint8Array }
  | { t: 'nil' }
  | { t: 'bool'; v: boolean }
  | { t: 'array' | 'set' | 'map' | 'push' | 'attr'; items: Reply[] };

const CR = 13;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Where a header line ends (index of its \r), or -1 when incomplete. */
function lineEnd(buf: Uint8Array, at: number): number {
  for (let i = at; i + 1 < buf.length; i++) if (buf[i] === CR && buf[i + 1] === 10) return i;
  return -1;
}

/**
 * Parse one complete reply at `at`; returns it and the offset after it, or undefined when the
 * bytes end before the reply does.
 */
export function parseReply(buf: Uint8Array, at = 0): { reply: Reply; end: number } | undefined {
  if (at >= buf.length) return undefined;
  const type = buf[at];
  const e = lineEnd(buf, at + 1);
  if (e < 0) return undefined;
  const line = utf8.decode(buf.subarray(at + 1, e));
  const next = e + 2;
  const bulk = (make: (b: Uint8Array) => Reply) => {
    const n = Number(line);
    if (n < 0) return { reply: { t: 'nil' } as Reply, end: next };
    if (next + n + 2 > buf.length) return undefined;
    return { reply: make(buf.slice(next, next + n)), end: next + n + 2 };
  };
  const aggregate = (t: 'array' | 'set' | 'map' | 'push' | 'attr', per: number) => {
    const n = Number(line);
    if (n < 0) return { reply: { t: 'nil' } as Reply, end: next };
    const items: Reply[] = [];
    let p = next;
    for (let i = 0; i < n * per; i++) {
      const r = parseReply(buf, p);
      if (!r) return undefined;
      items.push(r.reply);
      p = r.end;
    }
    return { reply: { t, items } as Reply, end: p };
  };
  switch (type) {
    case 0x2b: return { reply: { t: 'status', s: line }, end: next }; // +
    case 0x2d: return { reply: { t: 'error', s: line }, end: next }; // -
    case 0x3a: return { reply: { t: 'int', n: line }, end: next }; // :
    case 0x2c: return { reply: { t: 'double', s: line }, end: next }; // ,
    case 0x28: return { reply: { t: 'bignum', s: line }, end: next }; // (
    case 0x23: return { reply: { t: 'bool', v: line === 't' }, end: next }; // #
    case 0x5f: return { reply: { t: 'nil' }, end: next }; // _
    case 0x24: return bulk((b) => ({ t: 'bulk', b })); // $
    case 0x21: return bulk((b) => ({ t: 'error', s: utf8.decode(b) })); // ! blob error
    case 0x3d: // = verbatim: "fmt:" then the text
      return bulk((b) => ({ t: 'verbatim', format: latin1.decode(b.subarray(0, 3)), b: b.subarray(4) }));
    case 0x2a: return aggregate('array', 1); // *
    case 0x7e: return aggregate('set', 1); // ~
    case 0x3e: return aggregate('push', 1); // >
    case 0x25: return aggregate('map', 2); // %
    case 0x7c: return aggregate('attr', 2); // |
    default:
      throw new Error(`unexpected reply type byte ${JSON.stringify(String.fromCharCode(type))}`);
  }
}

/** Every complete reply in `buf`, in order. */
export function parseReplies(buf: Uint8Array): Reply[] {
  const out: Reply[] = [];
  for (let at = 0; at < buf.length;) {
    const r = parseReply(buf, at);
    if (!r) break;
    out.push(r.reply);
    at = r.end;
  }
  return out;
}

/** A bulk string as redis-cli quotes it: "…" with \n \r \t \a \b \\ \" and \xHH for the rest. */
export function quoteBytes(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    switch (c) {
      case 0x5c: s += '\\\\'; break;
      case 0x22: s += '\\"'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0d: s += '\\r'; break;
      case 0x09: s += '\\t'; break;
      case 0x07: s += '\\a'; break;
      case 0x08: s += '\\b'; break;
      default:
        s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return s + '"';
}

/** Text of bytes as the terminal shows a status or verbatim string (UTF-8). */
function text(b: Uint8Array): string {
  return utf8.decode(b);
}

function isAggregate(r: Reply): r is Extract<Reply, { items: Reply[] }> {
  return 'items' in r;
}

const EMPTY: Record<string, string> = {
  array: '(empty array)', set: '(empty set)', map: '(empty hash)', push: '(empty push)', attr: '(empty attribute)',
};

/**
 * Format a reply as redis-cli does on a terminal (one line per leaf, numbered and indented
 * aggregates: `1)` arrays, `1~` sets, `1#` maps with `key => value`). Ends with a newline.
 */
export function formatReply(r: Reply, prefix = ''): string {
  switch (r.t) {
    case 'error': return `(error) ${r.s}\n`;
    case 'status': return `${r.s}\n`;
    case 'int': return `(integer) ${r.n}\n`;
    case 'double': return `(double) ${r.s}\n`;
    case 'bignum': return `(big number) ${r.s}\n`;
    case 'bulk': return quoteBytes(r.b) + '\n';
    case 'verbatim': return text(r.b) + '\n';
    case 'nil': return '(nil)\n';
    case 'bool': return r.v ? '(true)\n' : '(false)\n';
    default: break;
  }
  const items = r.items;
  if (items.length === 0) return EMPTY[r.t] + '\n';
  const pairs = r.t === 'map' || r.t === 'attr';
  const count = pairs ? items.length / 2 : items.length;
  const width = String(count).length;
  const inner = prefix + ' '.repeat(width + 2);
  const sep = r.t === 'set' ? '~' : pairs ? '#' : ')';
  let out = '';
  for (let i = 0, n = 1; i < items.length; i++, n++) {
    out += (i === 0 ? '' : prefix) + String(n).padStart(width) + sep + ' ';
    out += formatReply(items[i], inner);
    if (pairs) {
      const value = items[++i];
      out = out.slice(0, -1) + ' => ';
      // an aggregate of several items starts on its own line, under the key
      if (isAggregate(value) && value.items.length > (value.t === 'map' || value.t === 'attr' ? 2 : 1)) out += '\n' + inner;
      out += formatReply(value, inner);
    }
  }
  return out;
}

/** Escape raw protocol bytes for display: \r \n \t \\ as escapes, other non-printables as \xHH. */
export function escapeBytes(b: Uint8Array, max = Infinity): string {
  let s = '';
  const n = Math.min(b.length, max);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s;
}

/**
 * The commands redis-cli prints raw even on a terminal (their replies are text meant to be
 * read as is): INFO, LOLWUT, CLIENT LIST/INFO, MEMORY DOCTOR/MALLOC-STATS, DEBUG HTSTATS(-KEY),
 * CLUSTER NODES/INFO, LATENCY GRAPH/DOCTOR. `args` are the command's arguments.
 */
export function printsRaw(args: readonly string[]): boolean {
  const c = args[0]?.toLowerCase() ?? '';
  const sub = args[1]?.toLowerCase() ?? '';
  const n = args.length;
  return c === 'info' || c === 'lolwut'
    || (c === 'debug' && n >= 2 && (sub === 'htstats' || sub === 'htstats-key'))
    || (c === 'memory' && n >= 2 && (sub === 'malloc-stats' || sub === 'doctor'))
    || (c === 'cluster' && n === 2 && (sub === 'nodes' || sub === 'info'))
    || (c === 'client' && n >= 2 && (sub === 'list' || sub === 'info'))
    || (c === 'latency' && ((n === 3 && sub === 'graph') || (n === 2 && sub === 'doctor')));
}

/** A reply as redis-cli prints it raw: strings as they are, no quotes, no numbering, errors without "(error)". */
export function formatRaw(r: Reply): string {
  switch (r.t) {
    case 'error': case 'status': case 'double': case 'bignum': return r.s;
    case 'int': return r.n;
    case 'bulk': case 'verbatim': return text(r.b);
    case 'nil': return '';
    case 'bool': return r.v ? '(true)' : '(false)';
    default: return r.items.map((x) => formatRaw(x)).join('\n');
  }
}
