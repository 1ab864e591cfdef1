/**
 * Server configuration: the parameters CONFIG GET/SET know, their defaults and validation,
 * and redis.conf parsing.
 *
 * Owns: the values. Components that must react to a change (the engine's limits, the
 * listener) register with `onChange`. Names and defaults follow Redis 7.0.
 */
import { readFileSync } from 'node:fs';
import { stringMatch } from '../resp/glob.js';
import { REDIS_CONFIG_DEFAULTS } from './config-defaults.generated.js';
import { notifyFlagsFromString, notifyFlagsToString, notifyFlagsToExactString, NOTIFY_CLASS_ERROR } from './notify-config.js';

type Kind = 'int' | 'memory' | 'bool' | 'string' | 'enum' | 'special';

interface Param {
  kind: Kind;
  value: string;
  /** Allowed values for enums (lower-case). */
  values?: string[];
  min?: number | bigint;
  max?: number | bigint;
  /** Cannot be changed with CONFIG SET. */
  immutable?: boolean;
  alias?: string;
  /** How CONFIG GET shows the stored value, when that differs from it. */
  display?: (value: string) => string;
}

/** Parse a Redis memory value ("1gb", "100mb", "512") into bytes; NaN when malformed. */
export function parseMemory(s: string): number {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb)?$/i.exec(s.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mult: Record<string, number> = { '': 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return n * mult[unit];
}

/** LONG_MAX, the upper limit of Redis's size_t and long long directives. */
const LONG_MAX = 9223372036854775807n;
/** parseMemory() as an exact integer (the value is known to parse). */
function memoryBigInt(s: string): bigint {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb)?$/i.exec(s.trim())!;
  const mult: Record<string, bigint> = { '': 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };
  return BigInt(m[1]!) * mult[(m[2] ?? '').toLowerCase()]!;
}

function p(kind: Kind, value: string, extra: Partial<Param> = {}): Param {
  return { kind, value, ...extra };
}

const POLICIES = ['volatile-lru', 'allkeys-lru', 'volatile-lfu', 'allkeys-lfu', 'volatile-random', 'allkeys-random', 'volatile-ttl', 'noeviction'];

function defaults(): Map<string, Param> {
  const m = new Map<string, Param>();
  // every directive Redis 7.0 knows is accepted and reported with Redis's default; the ones
  // wasmdis acts on (or must validate) are typed below
  for (const [name, value] of REDIS_CONFIG_DEFAULTS) m.set(name, p('string', value));
  const add = (name: string, param: Param) => m.set(name, param);
  add('port', p('int', '6379', { min: 0, max: 65535, immutable: true }));
  add('bind', p('string', '* -::*', { immutable: true }));
  add('requirepass', p('string', ''));
  add('databases', p('int', '16', { min: 1, max: 1000000, immutable: true }));
  add('maxmemory', p('memory', '0'));
  add('maxmemory-policy', p('enum', 'noeviction', { values: POLICIES }));
  add('maxmemory-samples', p('int', '5', { min: 1, max: 64 }));
  add('maxclients', p('int', '10000', { min: 1 }));
  add('timeout', p('int', '0', { min: 0, max: 2147483647 }));
  add('tcp-keepalive', p('int', '300', { min: 0, max: 2147483647 }));
  add('tcp-backlog', p('int', '511', { immutable: true }));
  // Redis accepts 0..INT_MAX and clamps to 1..500 when it uses the value
  add('hz', p('int', '10', { min: 0, max: 2147483647 }));
  add('dynamic-hz', p('bool', 'yes'));
  add('active-expire-effort', p('int', '1', { min: 1, max: 10 }));
  add('proto-max-bulk-len', p('memory', '536870912', { min: 1024 * 1024 }));
  add('hll-sparse-max-bytes', p('memory', '3000', { min: 0 }));
  add('client-query-buffer-limit', p('memory', '1073741824', { min: 1024 * 1024 }));
  // stored with every class it enables; shown as Redis shows it (which drops 'n' next to 'A')
  add('notify-keyspace-events', p('special', '', { display: (v) => notifyFlagsToString(notifyFlagsFromString(v) ?? 0) }));
  // no RDB snapshots yet (persistence is a later issue): report what the server does
  add('save', p('string', ''));
  add('appendonly', p('bool', 'no'));
  add('appendfsync', p('enum', 'everysec', { values: ['always', 'everysec', 'no'] }));
  add('appendfilename', p('string', 'appendonly.aof', { immutable: true }));
  add('dir', p('string', process.cwd()));
  add('dbfilename', p('string', 'dump.rdb'));
  add('loglevel', p('enum', 'notice', { values: ['debug', 'verbose', 'notice', 'warning', 'nothing'] }));
  add('logfile', p('string', '', { immutable: true }));
  add('daemonize', p('bool', 'no', { immutable: true }));
  add('protected-mode', p('bool', 'yes'));
  add('enable-debug-command', p('enum', 'no', { values: ['no', 'yes', 'local'], immutable: true }));
  add('io-threads', p('int', '1', { immutable: true }));
  add('lfu-log-factor', p('int', '10', { min: 0 }));
  add('lfu-decay-time', p('int', '1', { min: 0 }));
  add('lazyfree-lazy-eviction', p('bool', 'no'));
  add('lazyfree-lazy-expire', p('bool', 'no'));
  add('lazyfree-lazy-server-del', p('bool', 'no'));
  add('lazyfree-lazy-user-del', p('bool', 'no'));
  add('lazyfree-lazy-user-flush', p('bool', 'no'));
  add('slowlog-log-slower-than', p('int', '10000'));
  add('slowlog-max-len', p('int', '128', { min: 0 }));
  add('latency-tracking', p('bool', 'yes'));
  add('replica-read-only', p('bool', 'yes'));
  add('cluster-enabled', p('bool', 'no', { immutable: true }));
  add('list-max-listpack-size', p('int', '-2', { min: -2147483648, max: 2147483647 }));
  add('list-compress-depth', p('int', '0', { min: 0, max: 2147483647 }));
  // size_t directives (0 … LONG_MAX); Redis 7.0 has no set-max-listpack-* (7.2 added them)
  add('hash-max-listpack-entries', p('int', '512', { min: 0, max: LONG_MAX }));
  add('hash-max-listpack-value', p('int', '64', { min: 0, max: LONG_MAX }));
  add('set-max-intset-entries', p('int', '512', { min: 0, max: LONG_MAX }));
  add('zset-max-listpack-entries', p('int', '128', { min: 0, max: LONG_MAX }));
  add('zset-max-listpack-value', p('memory', '64', { min: 0 }));
  add('pidfile', p('string', '', { immutable: true }));
  add('unixsocket', p('string', '', { immutable: true }));
  add('supervised', p('enum', 'no', { values: ['upstart', 'systemd', 'auto', 'no'], immutable: true }));
  // wasmdis's own: measure how long batches hold the keyspace lock (INFO threads; two clock
  // reads per batch while on)
  add('wasmdis-lock-timing', p('bool', 'no'));
  return m;
}

/** Aliases Redis accepts for old names. */
const ALIASES: Record<string, string> = {
  'list-max-ziplist-size': 'list-max-listpack-size',
  'hash-max-ziplist-entries': 'hash-max-listpack-entries',
  'hash-max-ziplist-value': 'hash-max-listpack-value',
  'zset-max-ziplist-entries': 'zset-max-listpack-entries',
  'zset-max-ziplist-value': 'zset-max-listpack-value',
};

/** The server's configuration, one instance per server (or in-process engine). */
export class Config {
  private readonly params = defaults();
  private readonly listeners: ((name: string, value: string, remote: boolean) => void)[] = [];
  /** Parsed numbers, cleared on every change (the server reads some limits per socket read). */
  private readonly numbers = new Map<string, number>();

  /** Current value of a parameter (normalised as CONFIG GET shows it), or undefined. */
  get(name: string): string | undefined {
    return this.params.get(this.canonical(name))?.value;
  }

  getNumber(name: string): number {
    const cached = this.numbers.get(name);
    if (cached !== undefined) return cached;
    const n = this.parseNumber(name);
    this.numbers.set(name, n);
    return n;
  }

  private parseNumber(name: string): number {
    const v = this.get(name);
    const param = this.params.get(this.canonical(name));
    if (v === undefined || !param) return NaN;
    return param.kind === 'memory' ? parseMemory(v) : Number(v);
  }

  /** Every parameter and its value (to hand the configuration to worker threads). */
  entries(): [string, string][] {
    return [...this.params].map(([name, param]) => [name, param.value]);
  }

  /**
   * Call `fn` after every successful change; `remote` is set for a change another thread made
   * and this one only mirrors (see apply).
   */
  onChange(fn: (name: string, value: string, remote: boolean) => void): void {
    this.listeners.push(fn);
  }

  private canonical(name: string): string {
    const n = name.toLowerCase();
    return ALIASES[n] ?? n;
  }

  /** CONFIG GET pattern: [name, value] pairs whose name matches the glob. */
  match(pattern: string): [string, string][] {
    const out: [string, string][] = [];
    const pat = pattern.toLowerCase();
    if (!/[*?[]/.test(pat)) {
      const name = this.canonical(pat);
      const param = this.params.get(name);
      if (param) out.push([pat in ALIASES ? pat : name, param.display ? param.display(param.value) : param.value]);
      return out;
    }
    for (const [name, param] of this.params) {
      if (stringMatch(pat, name, true)) out.push([name, param.display ? param.display(param.value) : param.value]);
    }
    return out;
  }

  /**
   * Validate and normalise a value; returns the stored form, or an error text
   * (without the "ERR CONFIG SET failed (possibly related to argument 'x') - " prefix).
   */
  validate(name: string, raw: string, startup: boolean): { value: string } | { error: string } {
    const key = this.canonical(name);
    const param = this.params.get(key);
    if (!param) return { error: 'unknown' };
    if (param.immutable && !startup) return { error: "can't set immutable config" };
    switch (param.kind) {
      case 'int': {
        if (!/^-?\d+$/.test(raw.trim())) return { error: 'argument couldn\'t be parsed into an integer' };
        // BigInt: limits up to LONG_MAX compare and print exactly
        const n = BigInt(raw.trim());
        if ((param.min !== undefined && n < BigInt(param.min)) || (param.max !== undefined && n > BigInt(param.max))) {
          return { error: `argument must be between ${param.min ?? '-inf'} and ${param.max ?? 'inf'} inclusive` };
        }
        return { value: String(n) };
      }
      case 'memory': {
        const n = parseMemory(raw);
        // Redis reads memory values as unsigned: a sign is malformed, and the range is checked
        // in exact integers (up to LONG_MAX)
        if (Number.isNaN(n) || n < 0) return { error: 'argument must be a memory value' };
        const exact = memoryBigInt(raw);
        const max = param.max !== undefined ? BigInt(param.max) : 9223372036854775807n;
        if ((param.min !== undefined && n < param.min) || exact > max) {
          return { error: `argument must be between ${param.min ?? 0} and ${max} inclusive` };
        }
        return { value: String(exact) };
      }
      case 'bool': {
        const v = raw.toLowerCase();
        if (v !== 'yes' && v !== 'no') return { error: 'argument must be \'yes\' or \'no\'' };
        return { value: v };
      }
      case 'enum': {
        const v = raw.toLowerCase();
        if (!param.values!.includes(v)) return { error: `argument(s) must be one of the following: ${param.values!.join(', ')}` };
        return { value: v };
      }
      case 'special': {
        if (key === 'notify-keyspace-events') {
          const flags = notifyFlagsFromString(raw);
          if (flags === undefined) return { error: NOTIFY_CLASS_ERROR };
          return { value: notifyFlagsToExactString(flags) };
        }
        return { value: raw };
      }
      default:
        return { value: raw };
    }
  }

  /**
   * Set a value without validation (already validated). `remote`: the change was made on another
   * thread, which has already done what acts on shared state (the engine's settings).
   */
  apply(name: string, value: string, remote = false): void {
    const key = this.canonical(name);
    const param = this.params.get(key);
    if (!param) return;
    param.value = value;
    this.numbers.clear();
    for (const fn of this.listeners) fn(key, value, remote);
  }

  /** Set at startup (command line / config file): validates; throws with Redis's style message. */
  setStartup(name: string, args: string[]): void {
    const key = this.canonical(name);
    if (!this.params.has(key)) throw new Error(`Bad directive or wrong number of arguments`);
    const param = this.params.get(key)!;
    const raw = param.kind === 'string' ? args.join(' ') : args[0] ?? '';
    const r = this.validate(key, raw, true);
    if ('error' in r) throw new Error(r.error);
    this.apply(key, r.value);
  }

  /** Read a redis.conf file (directive per line, quoted arguments, # comments, include). */
  loadFile(path: string): void {
    const text = readFileSync(path, 'utf8');
    let lineNo = 0;
    for (const line of text.split(/\r?\n/)) {
      lineNo++;
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const words = splitConfigLine(trimmed);
      if (!words || words.length === 0) throw new Error(`*** FATAL CONFIG FILE ERROR *** line ${lineNo}: Unbalanced quotes in configuration line`);
      const [name, ...args] = words;
      if (name.toLowerCase() === 'include') { this.loadFile(args[0]); continue; }
      try {
        this.setStartup(name, args);
      } catch (e) {
        throw new Error(`*** FATAL CONFIG FILE ERROR (wasmdis) ***\nReading the configuration file, at line ${lineNo}\n>>> '${trimmed}'\n${(e as Error).message}`);
      }
    }
  }
}

/** Split a config line like sdssplitargs (quotes, escapes); undefined on unbalanced quotes. */
export function splitConfigLine(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let cur = '';
    let q: string | null = null;
    for (; i < line.length; i++) {
      const c = line[i];
      if (q === '"') {
        if (c === '\\' && i + 1 < line.length) {
          const n = line[++i];
          cur += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
        } else if (c === '"') { q = null; i++; break; } else cur += c;
      } else if (q === "'") {
        if (c === "'") { q = null; i++; break; } else cur += c;
      } else if (c === '"' || c === "'") q = c;
      else if (/\s/.test(c)) break;
      else cur += c;
    }
    if (q) return undefined;
    out.push(cur);
  }
  return out;
}
