/**
 * The one command table.
 *
 * Every command wasmdis knows is described here once, as data, and everything
 * else is derived from it: WASM dispatch by numeric id
 * (`assembly/commands/table.generated.ts`, via `npm run gen:commands`), the
 * COMMAND family replies (COMMAND INFO / DOCS / LIST / GETKEYS), arity checks,
 * and later ACL, cluster slot checks and MULTI queueing.
 *
 * The table is joined from three sources:
 * - `catalog.ts`         — names, stable ids, host/WASM split (hand-written, append-only)
 * - `facts.generated.ts` — Redis 7.0 facts: arity, flags, key specs, ACL categories, …
 *                          (`scripts/gen-command-spec.mjs` reads them from a live redis-server)
 * - `summaries.ts`       — our own prose: summaries, complexity, history notes
 *
 * This module owns lookups by name and id. It must not import the server or the
 * RESP layer: it is plain data, loadable from generators and tests.
 */
import { CATALOG, type CatalogEntry } from './catalog.js';
import { COMMAND_FACTS } from './facts.generated.js';
import { COMMAND_PROSE } from './summaries.js';

/** One key spec, shaped exactly as COMMAND INFO returns it (field names included). */
export interface KeySpec {
  notes?: string;
  /** RO, RW, OW, RM, access, update, insert, delete, not_key, incomplete, variable_flags */
  flags: string[];
  begin_search: {
    type: string /* 'index' | 'keyword' | 'unknown' */;
    spec: { index?: number; keyword?: string; startfrom?: number };
  };
  find_keys: {
    type: string /* 'range' | 'keynum' | 'unknown' */;
    spec: { lastkey?: number; keystep?: number; limit?: number; keynumidx?: number; firstkey?: number };
  };
}

/** One argument in COMMAND DOCS. */
export interface ArgSpec {
  name: string;
  /** string, integer, double, key, pattern, unix-time, pure-token, oneof, block */
  type: string;
  keySpecIndex?: number;
  token?: string;
  summary?: string;
  since?: string;
  deprecatedSince?: string;
  /** optional, multiple, multiple_token */
  flags?: string[];
  /** Nested arguments of a `oneof` or `block`. */
  arguments?: ArgSpec[];
}

/** What `scripts/gen-command-spec.mjs` records per command (facts, no prose). */
export interface CommandFacts {
  arity: number;
  flags: string[];
  firstKey: number;
  lastKey: number;
  step: number;
  aclCategories: string[];
  tips: string[];
  keySpecs: KeySpec[];
  since: string;
  group: string;
  docFlags?: string[];
  deprecatedSince?: string;
  /** Redis documents a replacement; the text is ours (CommandProse.replacedBy). */
  hasReplacedBy?: boolean;
  /** Versions of the history entries; the notes are ours (CommandProse.history). */
  history?: string[];
  arguments?: ArgSpec[];
}

/** One command (or subcommand) of the table. */
export interface CommandSpec {
  /** Stable numeric id (see catalog.ts); subcommands have ids of their own. */
  id: number;
  /** Lower-case full name as COMMAND INFO reports it: `get`, `client|setname`. */
  name: string;
  /** Redis arity: N = exactly N arguments (name included), -N = at least N. */
  arity: number;
  /** Redis flag names in COMMAND INFO order: write, readonly, denyoom, admin, … */
  flags: string[];
  /** Legacy key positions (0 = no keys; lastKey -1 = last argument). */
  firstKey: number;
  lastKey: number;
  step: number;
  /** ACL categories as COMMAND INFO reports them: `@read`, `@string`, … */
  aclCategories: string[];
  tips: string[];
  keySpecs: KeySpec[];
  group: string;
  since: string;
  summary: string;
  complexity?: string;
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  /** [version, note] pairs. */
  history?: [string, string][];
  arguments?: ArgSpec[];
  /** Executed in the TypeScript host rather than in WASM. */
  host: boolean;
  subcommands?: CommandSpec[];
  /** For a subcommand: its container (`client` for `client|id`). */
  container?: CommandSpec;
}

function buildSpec(entry: CatalogEntry, container: CommandSpec | undefined): CommandSpec {
  const name = container ? `${container.name}|${entry.name}` : entry.name;
  const facts = COMMAND_FACTS[name];
  const prose = COMMAND_PROSE[name];
  if (!facts) throw new Error(`command table: no facts for '${name}' (run scripts/gen-command-spec.mjs)`);
  if (!prose) throw new Error(`command table: no summary for '${name}' in summaries.ts`);
  const history = facts.history ?? [];
  if ((prose.history?.length ?? 0) !== history.length) {
    throw new Error(`command table: '${name}' needs ${history.length} history notes in summaries.ts`);
  }
  if (Boolean(facts.hasReplacedBy) !== (prose.replacedBy !== undefined)) {
    throw new Error(`command table: replacedBy of '${name}' does not match the facts`);
  }
  const spec: CommandSpec = {
    id: entry.id,
    name,
    arity: facts.arity,
    flags: facts.flags,
    firstKey: facts.firstKey,
    lastKey: facts.lastKey,
    step: facts.step,
    aclCategories: facts.aclCategories,
    tips: facts.tips,
    keySpecs: facts.keySpecs,
    group: facts.group,
    since: facts.since,
    summary: prose.summary,
    host: container ? container.host : entry.host === true,
  };
  if (prose.complexity !== undefined) spec.complexity = prose.complexity;
  if (facts.docFlags) spec.docFlags = facts.docFlags;
  if (facts.deprecatedSince) spec.deprecatedSince = facts.deprecatedSince;
  if (prose.replacedBy !== undefined) spec.replacedBy = prose.replacedBy;
  if (history.length > 0) spec.history = history.map((v, i) => [v, prose.history![i]!]);
  if (facts.arguments) spec.arguments = facts.arguments;
  // Not enumerable, so the table stays a tree for deep equality and JSON.
  if (container) Object.defineProperty(spec, 'container', { value: container, enumerable: false });
  if (entry.subcommands) spec.subcommands = entry.subcommands.map((s) => buildSpec(s, spec));
  return spec;
}

/** Every top-level command, in id order. */
export const COMMANDS: readonly CommandSpec[] = CATALOG.map((e) => buildSpec(e, undefined));

const byName = new Map<string, CommandSpec>();
const byId: CommandSpec[] = [];
for (const cmd of COMMANDS) {
  byName.set(cmd.name, cmd);
  byId[cmd.id] = cmd;
  for (const sub of cmd.subcommands ?? []) byId[sub.id] = sub;
}

/** ASCII-only lower-casing, as strcasecmp does (no Unicode case folding). */
export function asciiLower(s: string | Uint8Array): string {
  const text = typeof s === 'string' ? s : Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1');
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** A top-level command by name, case-insensitively (ASCII); undefined when unknown. */
export function findCommand(name: string | Uint8Array): CommandSpec | undefined {
  return byName.get(asciiLower(name));
}

/** A subcommand of `container` by its short name (`setname`), case-insensitively. */
export function findSubcommand(container: CommandSpec, sub: string | Uint8Array): CommandSpec | undefined {
  if (!container.subcommands) return undefined;
  const want = `${container.name}|${asciiLower(sub)}`;
  return container.subcommands.find((s) => s.name === want);
}

/** A command or subcommand by id. */
export function commandById(id: number): CommandSpec | undefined {
  return byId[id];
}

/**
 * The command an argument vector invokes, as Redis's lookupCommand does: the
 * subcommand when argv[0] is a container and there is an argv[1], otherwise
 * the command itself. Undefined when either name is unknown.
 */
export function resolveCommand(argv: readonly (string | Uint8Array)[]): CommandSpec | undefined {
  if (argv.length === 0) return undefined;
  const base = findCommand(argv[0]!);
  if (!base || argv.length === 1 || !base.subcommands) return base;
  return findSubcommand(base, argv[1]!);
}

/**
 * A command by full name as COMMAND INFO / DOCS take it (`get`, `client|id`),
 * with Redis's strict rules: at most one `|`, and `x|y` only names a subcommand.
 */
export function findCommandByFullName(fullName: string | Uint8Array): CommandSpec | undefined {
  const parts = asciiLower(fullName).split('|');
  if (parts.length > 2) return undefined;
  const base = byName.get(parts[0]!);
  if (parts.length === 1) return base;
  return base?.subcommands ? findSubcommand(base, parts[1]!) : undefined;
}

/** Does the argument count fit the command's arity (argc includes the command name)? */
export function arityAccepts(cmd: CommandSpec, argc: number): boolean {
  return cmd.arity >= 0 ? argc === cmd.arity : argc >= -cmd.arity;
}
