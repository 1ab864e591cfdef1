/**
 * Custom commands: TypeScript commands a user mounts beside the built-in ones
 * (`startServer({ commands })`, `Engine.create({ commands })`).
 *
 * Owns: the public spec types, checking a user's table (names, arity, flags, key positions)
 * and turning it into command-table entries (CommandSpec: COMMAND INFO / DOCS / LIST / GETKEYS
 * show them like any command), registering the names in each engine instance
 * (assembly/commands/custom.ts: ids from CUSTOM_ID_BASE, flagged host), and running a handler:
 * under the keyspace lock for its whole run, with `ctx.call` running built-in commands through
 * the engine inside that same hold (EngineCore.callInside). Must not touch sockets.
 *
 * Decisions (see README "Custom commands"):
 * - A name that is already a built-in command is refused at start-up (no overriding).
 * - Handlers are synchronous: an async handler could not stay atomic (the lock cannot be held
 *   across an await without stalling every other client), so a returned Promise is an error.
 * - `ctx.call` decodes RESP2 replies (like a script's redis.call) and throws error replies as
 *   ReplyError; a handler that throws answers `-ERR <message>` (a ReplyError's own text as is).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { ReplyWriter } from '../resp/reply-writer.js';
import { decodeReply } from '../resp/reply-decoder.js';
import { ReplyError } from '../resp/errors.js';
import type { Session } from '../engine/session.js';
import type { EngineExports } from '../engine/wasm.js';
import { asciiLower, findCommand, resolveCommand, type CommandSpec, type KeySpec } from './spec.js';
import { COMMAND_FLAG } from './ids.generated.js';

/** First id of a custom command (assembly/commands/custom.ts CUSTOM_ID_BASE). */
export const CUSTOM_ID_BASE = 0x10000;

/** How deep custom commands may call custom commands through ctx.call. */
const MAX_CALL_DEPTH = 16;

/**
 * Flags a custom command may carry, with Redis's names as COMMAND INFO shows them. `denyoom`
 * is enforced (refused when over maxmemory) and `no_auth`, `no_multi`, `write`/`readonly`
 * (refused on a MONITOR connection) act as for built-in commands; the rest are metadata.
 */
export type CustomCommandFlag =
  | 'write' | 'readonly' | 'denyoom' | 'admin' | 'pubsub' | 'noscript' | 'blocking' | 'loading'
  | 'stale' | 'skip_monitor' | 'skip_slowlog' | 'fast' | 'no_auth' | 'may_replicate'
  | 'no_mandatory_keys' | 'no_multi' | 'allow_busy';

/** Redis's order of flags in COMMAND INFO; may_replicate is not shown (as in Redis). */
const FLAG_ORDER: readonly CustomCommandFlag[] = [
  'write', 'readonly', 'denyoom', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'fast', 'no_auth', 'no_mandatory_keys', 'no_multi', 'allow_busy',
];
const FLAG_BIT: Readonly<Record<CustomCommandFlag, number>> = {
  write: COMMAND_FLAG.WRITE, readonly: COMMAND_FLAG.READONLY, denyoom: COMMAND_FLAG.DENYOOM,
  admin: COMMAND_FLAG.ADMIN, pubsub: COMMAND_FLAG.PUBSUB, noscript: COMMAND_FLAG.NOSCRIPT,
  blocking: COMMAND_FLAG.BLOCKING, loading: COMMAND_FLAG.LOADING, stale: COMMAND_FLAG.STALE,
  skip_monitor: COMMAND_FLAG.SKIP_MONITOR, skip_slowlog: COMMAND_FLAG.SKIP_SLOWLOG, fast: COMMAND_FLAG.FAST,
  no_auth: COMMAND_FLAG.NO_AUTH, may_replicate: COMMAND_FLAG.MAY_REPLICATE,
  no_mandatory_keys: COMMAND_FLAG.NO_MANDATORY_KEYS, no_multi: COMMAND_FLAG.NO_MULTI, allow_busy: COMMAND_FLAG.ALLOW_BUSY,
};

/** An argument of `ctx.call`: strings are sent as UTF-8, numbers in decimal. */
export type CallArg = string | number | bigint | Uint8Array;

/** What a custom command's handler sees. Valid only while the handler runs. */
export interface CustomCommandContext {
  /** The command's name in lower case, as registered (`mycmd`). */
  readonly name: string;
  /** The arguments after the command name (`MYCMD a b` → `[a, b]`), as Buffers. */
  readonly args: readonly Buffer[];
  /** The whole command line, name included, as the client sent it. */
  readonly argv: readonly Buffer[];
  /**
   * The reply: write exactly one reply (`ctx.reply.bulk('x')`, `.int(1)`, `.arrayLen(2).bulk(a).bulk(b)`,
   * `.mapLen(n)`, `.null()`, `.status('OK')`, `.error('ERR …')`, `.double()`, `.bool()` …). The
   * writer renders RESP2 or RESP3 for the client's protocol, as Redis's reply helpers do.
   * Instead, the handler may return a value (see {@link CustomCommandHandler}).
   */
  readonly reply: ReplyWriter;
  /** The client's selected database; `ctx.call` runs commands in it. */
  readonly db: number;
  /** The client's protocol (2, or 3 after HELLO 3). */
  readonly protocol: 2 | 3;
  /** The client's CLIENT ID. */
  readonly clientId: number;
  /** Running inside EXEC (the command was queued in MULTI). */
  readonly inTransaction: boolean;
  /**
   * Run a built-in (or another custom) command against the keyspace, atomically with the rest
   * of this handler, and return its reply decoded from RESP2 (bulk strings as strings, nulls as
   * null, arrays as arrays, integers as numbers). Error replies are thrown as ReplyError (catch
   * them to go on). Keyspace notifications, WATCH invalidation, dirty counters, MONITOR and
   * blocked clients behave exactly as when a client runs the command. Commands flagged
   * `noscript` (MULTI, EXEC, WATCH, SUBSCRIBE, …) and SELECT are refused.
   */
  call(command: string, ...args: CallArg[]): unknown;
  /** As {@link call}, with bulk strings as Buffers (binary-safe). */
  callBuffer(command: string, ...args: CallArg[]): unknown;
  /** As {@link call}, but the raw reply bytes in protocol `resp` (default 2); errors are not thrown. */
  callRaw(args: readonly CallArg[], resp?: 2 | 3): Buffer;
}

/**
 * A handler: synchronous (a returned Promise is refused: the command would no longer be
 * atomic). It either writes its reply to `ctx.reply` or returns a value that becomes the reply:
 * string or Buffer → bulk string, integer → integer, other number → double, boolean → RESP3
 * boolean (1/0 in RESP2), null → null, array → array of those, Error → error reply
 * (`ERR <message>` unless the message starts with an upper-case code). Returning undefined
 * without writing anything answers `+OK`. Throwing answers `-ERR <message>` (a ReplyError
 * thrown by ctx.call keeps its own code: `-WRONGTYPE …`).
 */
export type CustomCommandHandler = (ctx: CustomCommandContext) => unknown;

/** One custom command, as given to `startServer({ commands: { NAME: spec } })`. */
export interface CustomCommandSpec {
  /** Redis arity: N = exactly N arguments counting the name, -N = at least N. */
  arity: number;
  /** Redis flags (COMMAND INFO names). Default: none. */
  flags?: readonly CustomCommandFlag[];
  /** Position of the first key argument (1 = right after the name); 0 or absent: no keys. */
  firstKey?: number;
  /** Position of the last key argument; -1 = the last argument, -2 the one before… Default: firstKey. */
  lastKey?: number;
  /** Distance between key arguments. Default 1 when there are keys. */
  step?: number;
  /** One line for COMMAND DOCS (default: "A custom command."). */
  summary?: string;
  /** Group for COMMAND DOCS (default: "module", Redis's group for commands that extend it). */
  group?: string;
  /** Version for COMMAND DOCS `since` (default "1.0.0"). */
  since?: string;
  /** Complexity note for COMMAND DOCS (omitted by default). */
  complexity?: string;
  /** The command's code. */
  handler: CustomCommandHandler;
}

/** Custom commands by name (any case): `{ MYCMD: { arity: 2, handler: … } }`. */
export type CustomCommandTable = Readonly<Record<string, CustomCommandSpec>>;

/** A custom command: its table entry and its handler. */
interface CustomEntry {
  spec: CommandSpec;
  handler: CustomCommandHandler;
  /** FLAG_* bits for the engine (FLAG_HOST included). */
  bits: number;
}

/**
 * The custom commands of a server or engine: checked once, then registered in every engine
 * instance (each worker thread's registers the same table in the same order, so ids agree).
 */
export class CustomCommands {
  /** No custom commands. */
  static readonly none = new CustomCommands({});

  /** Command-table entries, in registration order (COMMAND lists them after the built-in ones). */
  readonly specs: readonly CommandSpec[];
  private readonly byName = new Map<string, CustomEntry>();
  private readonly byId = new Map<number, CustomEntry>();

  /** Check `table`; throws an Error naming the first problem (a clash with a built-in command, …). */
  constructor(table: CustomCommandTable) {
    if (table === null || typeof table !== 'object') throw new TypeError('wasmdis: commands must be an object of { NAME: spec }');
    const specs: CommandSpec[] = [];
    for (const [rawName, def] of Object.entries(table)) {
      const spec = checkSpec(rawName, def, CUSTOM_ID_BASE + specs.length);
      if (this.byName.has(spec.name)) throw new Error(`wasmdis: custom command '${spec.name}' is defined twice (names are case-insensitive)`);
      let bits = COMMAND_FLAG.HOST;
      for (const f of def.flags ?? []) bits |= FLAG_BIT[f];
      const entry = { spec, handler: def.handler, bits: bits >>> 0 };
      this.byName.set(spec.name, entry);
      this.byId.set(spec.id, entry);
      specs.push(spec);
    }
    this.specs = specs;
  }

  /** Number of custom commands. */
  get size(): number {
    return this.specs.length;
  }

  /** A custom command by name (any case), for COMMAND INFO / DOCS / GETKEYS. */
  find(name: string | Uint8Array): CommandSpec | undefined {
    return this.byName.get(asciiLower(name))?.spec;
  }

  /** A custom command by id. */
  byIdSpec(id: number): CommandSpec | undefined {
    return this.byId.get(id)?.spec;
  }

  /** Register every command in one engine instance; `scratch` copies bytes into engine memory. */
  registerIn(ex: EngineExports, scratch: (b: Uint8Array) => number): void {
    for (const { spec, bits } of this.byId.values()) {
      const name = Buffer.from(spec.name, 'latin1');
      const id = ex.customCommandRegister(scratch(name), name.length, bits, spec.arity, spec.firstKey, spec.lastKey, spec.step);
      if (id < 0) throw new Error('wasmdis: out of engine memory registering custom commands');
      if (id !== spec.id) throw new Error(`wasmdis: custom command '${spec.name}' got id ${id}, expected ${spec.id} (registered twice in one engine?)`);
    }
  }

  /**
   * Run custom command `id` (arity, NOAUTH, OOM and MULTI queueing already handled by the
   * engine): the handler runs holding the keyspace lock; its reply goes to `out`.
   */
  run(id: number, argv: Buffer[], out: ReplyWriter, session: Session, host: CustomHost, depth = 0): void {
    const entry = this.byId.get(id);
    if (!entry) {
      out.error(`ERR command '${argv[0]!.toString('latin1').toLowerCase()}' is not available`);
      return;
    }
    const core = host.core;
    core.locked(() => {
      // the handler writes straight into the connection's output; a throw takes back what it wrote
      const mark = out.length;
      const live = { on: true };
      let result: unknown;
      try {
        result = entry.handler(this.context(entry.spec.name, argv, out, session, host, depth, live));
        if (isThenable(result)) {
          // the handler's work after its first await would run outside the lock: refuse it
          (result as Promise<unknown>).then(undefined, () => {});
          throw new Error(`custom command '${entry.spec.name}' returned a Promise; handlers must be synchronous`);
        }
        if (out.length === mark) writeValue(out, result === undefined ? OK : result);
      } catch (err) {
        out.truncate(mark);
        out.error(errorText(err));
      } finally {
        live.on = false;
        // clients blocked on keys the handler's calls filled are served once it is done
        // (inside EXEC the transaction's end does it)
        if (session.execCount < 0) core.serveReadyAfterCustom();
      }
    });
  }

  private context(name: string, argv: Buffer[], reply: ReplyWriter, session: Session, host: CustomHost, depth: number,
    live: { on: boolean }): CustomCommandContext {
    const callRaw = (args: readonly CallArg[], resp: 2 | 3 = 2): Buffer => {
      // after the handler returned the lock is gone and the region serves other work
      if (!live.on) throw new Error(`ctx.call of custom command '${name}' used after its handler returned`);
      if (args.length === 0) throw new Error('ctx.call needs a command name');
      const bufs = args.map(toBuffer);
      const refusal = this.callRefusal(bufs);
      if (refusal) return Buffer.from(`-${refusal}\r\n`);
      if (depth >= MAX_CALL_DEPTH) return Buffer.from('-ERR custom commands nested too deeply\r\n');
      return host.core.callInside(session, bufs, resp, (id, hargs, hout) => {
        if (id >= CUSTOM_ID_BASE) { this.run(id, hargs, hout, session, host, depth + 1); return; }
        const action = host.runBuiltin(id, hargs, hout, session);
        if (action instanceof Promise) {
          action.then(undefined, () => {});
          hout.reset();
          hout.error(`ERR '${hargs[0]!.toString('latin1').toLowerCase()}' cannot be called from a custom command here`);
        }
      });
    };
    const call = (stringify: boolean, command: string, args: CallArg[]): unknown => {
      const raw = callRaw([command, ...args]);
      const decoded = decodeReply(raw, 0, { stringify });
      if (!decoded) throw new Error('ctx.call: incomplete reply');
      if (decoded.value instanceof ReplyError) throw decoded.value;
      return decoded.value;
    };
    return {
      name,
      args: argv.slice(1),
      argv,
      reply,
      db: session.db,
      protocol: session.resp,
      clientId: session.id,
      inTransaction: session.execCount >= 0,
      call: (command, ...args) => call(true, command, args),
      callBuffer: (command, ...args) => call(false, command, args),
      callRaw,
    };
  }

  /** Why ctx.call must not run this command line (null: it may). */
  private callRefusal(argv: Buffer[]): string | null {
    const cmd = resolveCommand(argv) ?? this.find(argv[0]!);
    if (!cmd) return null; // unknown: the engine answers as it would to a client
    if (cmd.flags.includes('noscript') || cmd.name === 'select') {
      return 'ERR This command is not allowed from a custom command';
    }
    return null;
  }
}

/** What a custom command needs from the server: the engine instance and the built-in host commands. */
export interface CustomHost {
  /** The engine instance (EngineCore) the command runs on. */
  core: {
    /** Run `fn` holding the keyspace lock (reentrant). */
    locked<T>(fn: () => T): T;
    /** Run one command inside the current lock hold; its raw reply in protocol `resp`. */
    callInside(session: Session, args: readonly Buffer[], resp: 2 | 3,
      host: (id: number, args: Buffer[], out: ReplyWriter) => void): Buffer;
    /** Serve clients blocked on keys the handler's calls filled. */
    serveReadyAfterCustom(): void;
  };
  /** Run a built-in host command (src/commands/host.ts). */
  runBuiltin(id: number, args: Buffer[], out: ReplyWriter, session: Session): 'continue' | 'close' | Promise<'continue' | 'close'>;
}

const OK = Symbol('OK');

function isThenable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function toBuffer(a: CallArg): Buffer {
  if (typeof a === 'string') return Buffer.from(a, 'utf8');
  if (a instanceof Uint8Array) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.from(String(a), 'latin1');
}

/** The error reply for a thrown value: a ReplyError keeps its code, anything else is ERR. */
function errorText(err: unknown): string {
  if (err instanceof ReplyError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return `ERR ${message}`;
}

/** A handler's return value as a reply. */
function writeValue(out: ReplyWriter, v: unknown): void {
  if (v === OK) out.status('OK');
  else if (v === null || v === undefined) out.null();
  else if (typeof v === 'string' || v instanceof Uint8Array) out.bulk(v);
  else if (typeof v === 'bigint') out.int(v);
  else if (typeof v === 'number') { if (Number.isInteger(v)) out.int(v); else out.double(v); }
  else if (typeof v === 'boolean') out.bool(v);
  else if (v instanceof Error) out.error(v instanceof ReplyError || /^[A-Z]+ /.test(v.message) ? v.message : `ERR ${v.message}`);
  else if (Array.isArray(v)) { out.arrayLen(v.length); for (const x of v) writeValue(out, x); }
  else if (v instanceof Map) { out.mapLen(v.size); for (const [k, x] of v) { writeValue(out, k); writeValue(out, x); } }
  else if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    out.mapLen(entries.length);
    for (const [k, x] of entries) { out.bulk(k); writeValue(out, x); }
  } else out.bulk(String(v));
}

/** A custom command's name: printable ASCII without `|` (clients send names as bytes). */
const GOOD_NAME = /^[\x21-\x7b\x7d\x7e]+$/;

/** Check one user spec and build its command-table entry. */
function checkSpec(rawName: string, def: CustomCommandSpec, id: number): CommandSpec {
  const name = asciiLower(rawName);
  const where = `wasmdis: custom command '${rawName}'`;
  if (!GOOD_NAME.test(name)) throw new Error(`${where}: a name must be non-empty printable ASCII, without spaces or '|'`);
  if (findCommand(name)) {
    throw new Error(`${where} clashes with the built-in command ${name.toUpperCase()}; built-in commands cannot be replaced, pick another name`);
  }
  if (!def || typeof def !== 'object') throw new TypeError(`${where}: the spec must be an object`);
  if (typeof def.handler !== 'function') throw new TypeError(`${where}: handler must be a function`);
  if (!Number.isInteger(def.arity) || def.arity === 0) throw new Error(`${where}: arity must be a non-zero integer (N exactly, -N at least, counting the name)`);
  const flags = [...(def.flags ?? [])];
  for (const f of flags) if (!(f in FLAG_BIT)) throw new Error(`${where}: unknown flag '${f}' (known: ${Object.keys(FLAG_BIT).join(', ')})`);
  if (flags.includes('write') && flags.includes('readonly')) throw new Error(`${where}: flags 'write' and 'readonly' exclude each other`);
  const firstKey = def.firstKey ?? 0;
  const lastKey = def.lastKey ?? firstKey;
  const step = def.step ?? (firstKey > 0 ? 1 : 0);
  if (!Number.isInteger(firstKey) || firstKey < 0) throw new Error(`${where}: firstKey must be a non-negative integer`);
  if (firstKey === 0 && (lastKey !== 0 || step !== 0)) throw new Error(`${where}: lastKey and step need a firstKey`);
  if (firstKey > 0) {
    if (!Number.isInteger(lastKey) || lastKey === 0 || (lastKey > 0 && lastKey < firstKey)) throw new Error(`${where}: lastKey must be >= firstKey, or negative (-1 = the last argument)`);
    if (!Number.isInteger(step) || step < 1) throw new Error(`${where}: step must be a positive integer`);
  }
  const shown = FLAG_ORDER.filter((f) => flags.includes(f));
  const keySpecs: KeySpec[] = firstKey > 0 ? [{
    flags: flags.includes('readonly') ? ['RO', 'access'] : ['RW', 'access', 'update'],
    begin_search: { type: 'index', spec: { index: firstKey } },
    find_keys: { type: 'range', spec: { lastkey: lastKey < 0 ? lastKey : lastKey - firstKey, keystep: step, limit: 0 } },
  }] : [];
  const spec: CommandSpec = {
    id,
    name,
    arity: def.arity,
    flags: shown,
    firstKey,
    lastKey,
    step,
    aclCategories: aclCategoriesOf(flags),
    tips: [],
    keySpecs,
    group: def.group ?? 'module',
    since: def.since ?? '1.0.0',
    summary: def.summary ?? 'A custom command.',
    host: true,
  };
  if (def.complexity !== undefined) spec.complexity = def.complexity;
  return spec;
}

/** The categories Redis derives from a command's flags (its implicit ACL categories), in Redis's order. */
function aclCategoriesOf(flags: readonly string[]): string[] {
  const cats = new Set<string>();
  if (flags.includes('readonly')) cats.add('@read');
  if (flags.includes('write')) cats.add('@write');
  if (flags.includes('pubsub')) cats.add('@pubsub');
  if (flags.includes('admin')) cats.add('@admin');
  cats.add(flags.includes('fast') ? '@fast' : '@slow');
  if (flags.includes('blocking')) cats.add('@blocking');
  if (flags.includes('admin')) cats.add('@dangerous');
  return [...cats];
}

/** A module path (relative to the working directory) or URL as an import()-able URL. */
export function moduleHref(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^(file|data|https?|node):/i.test(module)) return module;
  return pathToFileURL(resolve(module)).href;
}

/**
 * The `commands` export of a module (`commandsModule` for threaded servers): every worker
 * thread imports it, as functions cannot be sent to threads.
 */
export async function importCommandsModule(module: string | URL): Promise<CustomCommandTable> {
  const href = moduleHref(module);
  const mod = (await import(href)) as { commands?: CustomCommandTable; default?: { commands?: CustomCommandTable } };
  const table = mod.commands ?? mod.default?.commands;
  if (!table || typeof table !== 'object') throw new Error(`wasmdis: ${String(module)} has no \`commands\` export`);
  return table;
}
