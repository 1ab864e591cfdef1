/**
 * The COMMAND family (host): COMMAND, COUNT, INFO, DOCS, LIST, GETKEYS,
 * GETKEYSANDFLAGS, HELP — replies shaped byte for byte like Redis 7.0's
 * (server.c addReplyCommandInfo / addReplyCommandDocs), rendered from the
 * command table in spec.ts. Summaries are ours; everything else is Redis's.
 *
 * Owns: rendering the table and key extraction from key specs (getKeys).
 * Must not touch: connections, the keyspace, or anything in WASM.
 */
import type { ReplyWriter } from '../resp/reply-writer.js';
import { arityError, unknownSubcommandError } from './dispatch-info.js';
import { stringMatch } from '../resp/glob.js';
import {
  arityAccepts,
  asciiLower,
  COMMANDS,
  findCommand,
  findCommandByFullName,
  findSubcommand,
  resolveCommand,
  type ArgSpec,
  type CommandSpec,
  type KeySpec,
} from './spec.js';

type Arg = string | Uint8Array;

/** Commands known beside the built-in table (custom commands, src/commands/custom.ts). */
export interface ExtraCommands {
  readonly specs: readonly CommandSpec[];
  find(name: string | Uint8Array): CommandSpec | undefined;
}

const NO_EXTRA: ExtraCommands = { specs: [], find: () => undefined };

/** Every command: the built-in table, then the extra ones. */
function allCommands(extra: ExtraCommands): readonly CommandSpec[] {
  return extra.specs.length === 0 ? COMMANDS : [...COMMANDS, ...extra.specs];
}

/** findCommandByFullName, extra commands included (they have no subcommands). */
function byFullName(name: string | Uint8Array, extra: ExtraCommands): CommandSpec | undefined {
  return findCommandByFullName(name) ?? (asciiLower(name).includes('|') ? undefined : extra.find(name));
}

// Help prose is our own; only the first line's shape follows Redis's convention.
const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Describe every command the server knows.',
  'COUNT',
  '    Number of commands the server knows.',
  'LIST [FILTERBY (MODULE <name>|ACLCAT <category>|PATTERN <glob>)]',
  '    Names of the commands, optionally filtered.',
  'INFO [<command-name> ...]',
  '    Arity, flags, key positions and categories of the named commands (all when none given).',
  'DOCS [<command-name> ...]',
  '    Summary, version, group and arguments of the named commands (all when none given).',
  'GETKEYS <full-command>',
  '    Key names a complete command line would touch.',
  'GETKEYSANDFLAGS <full-command>',
  '    Key names a complete command line would touch, with how each is accessed.',
  'HELP',
  '    Print this help.',
];

/**
 * COMMAND [COUNT | INFO [name ...] | DOCS [name ...] | LIST [FILTERBY ...] |
 * GETKEYS cmd arg ... | GETKEYSANDFLAGS cmd arg ... | HELP]
 *
 * `args[0]` is `COMMAND` itself. Unknown subcommands and wrong argument counts
 * get Redis's errors, so the caller may dispatch here without checking first.
 */
export function commandCommand(args: readonly Buffer[], out: ReplyWriter, extra: ExtraCommands = NO_EXTRA): void {
  const all = allCommands(extra);
  if (args.length === 1) {
    out.arrayLen(all.length);
    for (const cmd of all) writeCommandInfo(out, cmd);
    return;
  }
  const container = findCommand('command')!;
  const sub = findSubcommand(container, args[1]!);
  if (!sub) {
    out.error(unknownSubcommandError(args[0]!, args[1]!));
    return;
  }
  if (!arityAccepts(sub, args.length)) {
    out.error(arityError(sub));
    return;
  }
  switch (sub.name) {
    case 'command|count':
      out.int(all.length);
      return;
    case 'command|info':
      commandInfo(args, out, extra);
      return;
    case 'command|docs':
      commandDocs(args, out, extra);
      return;
    case 'command|list':
      commandList(args, out, extra);
      return;
    case 'command|getkeys':
      commandGetKeys(args, out, false, extra);
      return;
    case 'command|getkeysandflags':
      commandGetKeys(args, out, true, extra);
      return;
    case 'command|help':
      out.arrayLen(COMMAND_HELP.length);
      for (const line of COMMAND_HELP) out.status(line);
      return;
    default:
      throw new Error(`COMMAND: no handler for ${sub.name}`);
  }
}

// ---------------------------------------------------------------- COMMAND INFO

/* COMMAND INFO [command-name ...] */
function commandInfo(args: readonly Buffer[], out: ReplyWriter, extra: ExtraCommands): void {
  if (args.length === 2) {
    const all = allCommands(extra);
    out.arrayLen(all.length);
    for (const cmd of all) writeCommandInfo(out, cmd);
    return;
  }
  out.arrayLen(args.length - 2);
  for (let i = 2; i < args.length; i++) writeCommandInfo(out, byFullName(args[i]!, extra));
}

/** One COMMAND INFO entry (addReplyCommandInfo); null for an unknown command. */
export function writeCommandInfo(out: ReplyWriter, cmd: CommandSpec | undefined): void {
  if (!cmd) {
    out.null();
    return;
  }
  out.arrayLen(10);
  out.bulk(cmd.name);
  out.int(cmd.arity);
  writeStatusSet(out, cmd.flags);
  out.int(cmd.firstKey);
  out.int(cmd.lastKey);
  out.int(cmd.step);
  writeStatusSet(out, cmd.aclCategories);
  out.setLen(cmd.tips.length);
  for (const tip of cmd.tips) out.bulk(tip);
  out.setLen(cmd.keySpecs.length);
  for (const spec of cmd.keySpecs) writeKeySpec(out, spec);
  if (!cmd.subcommands) {
    out.setLen(0);
  } else {
    out.arrayLen(cmd.subcommands.length);
    for (const sub of cmd.subcommands) writeCommandInfo(out, sub);
  }
}

function writeStatusSet(out: ReplyWriter, items: readonly string[]): void {
  out.setLen(items.length);
  for (const item of items) out.status(item);
}

function writeKeySpec(out: ReplyWriter, spec: KeySpec): void {
  out.mapLen(spec.notes !== undefined ? 4 : 3);
  if (spec.notes !== undefined) out.bulk('notes').bulk(spec.notes);
  out.bulk('flags');
  writeStatusSet(out, spec.flags);
  for (const key of ['begin_search', 'find_keys'] as const) {
    const search = spec[key];
    out.bulk(key).mapLen(2).bulk('type').bulk(search.type).bulk('spec');
    const fields = Object.entries(search.spec);
    out.mapLen(fields.length);
    for (const [name, value] of fields) {
      out.bulk(name);
      if (typeof value === 'number') out.int(value);
      else out.bulk(String(value));
    }
  }
}

// ---------------------------------------------------------------- COMMAND DOCS

/* COMMAND DOCS [command-name ...] */
function commandDocs(args: readonly Buffer[], out: ReplyWriter, extra: ExtraCommands): void {
  const found: CommandSpec[] = [];
  if (args.length === 2) {
    found.push(...allCommands(extra));
  } else {
    for (let i = 2; i < args.length; i++) {
      const cmd = byFullName(args[i]!, extra);
      if (cmd) found.push(cmd);
    }
  }
  out.mapLen(found.length);
  for (const cmd of found) {
    out.bulk(cmd.name);
    writeCommandDocs(out, cmd);
  }
}

/** One COMMAND DOCS entry (addReplyCommandDocs), our summary included. */
export function writeCommandDocs(out: ReplyWriter, cmd: CommandSpec): void {
  const fields =
    2 + // summary, group
    Number(cmd.since !== undefined) +
    Number(cmd.complexity !== undefined) +
    Number(cmd.docFlags !== undefined) +
    Number(cmd.deprecatedSince !== undefined) +
    Number(cmd.replacedBy !== undefined) +
    Number(cmd.history !== undefined) +
    Number(cmd.arguments !== undefined) +
    Number(cmd.subcommands !== undefined);
  out.mapLen(fields);
  out.bulk('summary').bulk(cmd.summary);
  if (cmd.since !== undefined) out.bulk('since').bulk(cmd.since);
  out.bulk('group').bulk(cmd.group);
  if (cmd.complexity !== undefined) out.bulk('complexity').bulk(cmd.complexity);
  if (cmd.docFlags !== undefined) {
    out.bulk('doc_flags');
    writeStatusSet(out, cmd.docFlags);
  }
  if (cmd.deprecatedSince !== undefined) out.bulk('deprecated_since').bulk(cmd.deprecatedSince);
  if (cmd.replacedBy !== undefined) out.bulk('replaced_by').bulk(cmd.replacedBy);
  if (cmd.history !== undefined) {
    out.bulk('history').setLen(cmd.history.length);
    for (const [version, note] of cmd.history) out.arrayLen(2).bulk(version).bulk(note);
  }
  if (cmd.arguments !== undefined) {
    out.bulk('arguments');
    writeArguments(out, cmd.arguments);
  }
  if (cmd.subcommands !== undefined) {
    out.bulk('subcommands').mapLen(cmd.subcommands.length);
    for (const sub of cmd.subcommands) {
      out.bulk(sub.name);
      writeCommandDocs(out, sub);
    }
  }
}

function writeArguments(out: ReplyWriter, args: readonly ArgSpec[]): void {
  out.arrayLen(args.length);
  for (const arg of args) {
    const nested = arg.type === 'oneof' || arg.type === 'block';
    out.mapLen(
      2 +
        Number(arg.keySpecIndex !== undefined) +
        Number(arg.token !== undefined) +
        Number(arg.summary !== undefined) +
        Number(arg.since !== undefined) +
        Number(arg.deprecatedSince !== undefined) +
        Number(arg.flags !== undefined) +
        Number(nested),
    );
    out.bulk('name').bulk(arg.name);
    out.bulk('type').bulk(arg.type);
    if (arg.keySpecIndex !== undefined) out.bulk('key_spec_index').int(arg.keySpecIndex);
    if (arg.token !== undefined) out.bulk('token').bulk(arg.token);
    if (arg.summary !== undefined) out.bulk('summary').bulk(arg.summary);
    if (arg.since !== undefined) out.bulk('since').bulk(arg.since);
    if (arg.deprecatedSince !== undefined) out.bulk('deprecated_since').bulk(arg.deprecatedSince);
    if (arg.flags !== undefined) {
      out.bulk('flags');
      writeStatusSet(out, arg.flags);
    }
    if (nested) {
      out.bulk('arguments');
      writeArguments(out, arg.arguments ?? []);
    }
  }
}

// ---------------------------------------------------------------- COMMAND LIST

/* COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern] */
function commandList(args: readonly Buffer[], out: ReplyWriter, extra: ExtraCommands): void {
  let keep: (cmd: CommandSpec) => boolean = () => true;
  for (let i = 2; i < args.length; i++) {
    const moreArgs = args.length - 1 - i;
    if (asciiLower(args[i]!) !== 'filterby' || moreArgs !== 2) {
      out.error('ERR syntax error');
      return;
    }
    const type = asciiLower(args[i + 1]!);
    const value = args[i + 2]!;
    if (type === 'module') {
      keep = () => false; // no modules
    } else if (type === 'aclcat') {
      const category = `@${asciiLower(value)}`;
      keep = (cmd) => cmd.aclCategories.includes(category);
    } else if (type === 'pattern') {
      keep = (cmd) => stringMatch(value, cmd.name, true);
    } else {
      out.error('ERR syntax error');
      return;
    }
    i += 2;
  }
  const names: string[] = [];
  for (const cmd of allCommands(extra)) {
    if (keep(cmd)) names.push(cmd.name);
    for (const sub of cmd.subcommands ?? []) if (keep(sub)) names.push(sub.name);
  }
  out.arrayLen(names.length);
  for (const name of names) out.bulk(name);
}

// ---------------------------------------------------------------- COMMAND GETKEYS

/** A key found in a command line: its argument index and the key-spec flags that apply. */
export interface KeyReference {
  pos: number;
  flags: readonly string[];
}

/* COMMAND GETKEYS command [arg ...] / COMMAND GETKEYSANDFLAGS command [arg ...] */
function commandGetKeys(args: readonly Buffer[], out: ReplyWriter, withFlags: boolean, extra: ExtraCommands): void {
  const argv = args.slice(2);
  const cmd = resolveCommand(argv) ?? (argv.length > 0 ? extra.find(argv[0]!) : undefined);
  if (!cmd) {
    out.error('ERR Invalid command specified');
    return;
  }
  if (!hasKeys(cmd)) {
    out.error('ERR The command has no key arguments');
    return;
  }
  if (!arityAccepts(cmd, argv.length)) {
    out.error('ERR Invalid number of arguments specified for command');
    return;
  }
  const keys = getKeys(cmd, argv);
  if (keys.length === 0) {
    if (cmd.flags.includes('no_mandatory_keys')) out.arrayLen(0);
    else out.error('ERR Invalid arguments specified for command');
    return;
  }
  out.arrayLen(keys.length);
  for (const key of keys) {
    if (withFlags) {
      out.arrayLen(2).bulk(argv[key.pos]!);
      writeStatusSet(out, key.flags);
    } else {
      out.bulk(argv[key.pos]!);
    }
  }
}

/**
 * Commands whose key flags depend on their arguments (key spec flag
 * `variable_flags`) compute them here, like Redis's getkeys_proc functions.
 */
const KEY_PROCS: Readonly<Record<string, (argv: readonly Arg[]) => KeyReference[]>> = {
  // SET key value [... GET ...]: GET makes the write a read-modify-write.
  set: (argv) => {
    for (let i = 3; i < argv.length; i++) {
      if (asciiLower(argv[i]!) === 'get') return [{ pos: 1, flags: ['RW', 'access', 'update'] }];
    }
    return [{ pos: 1, flags: ['OW', 'update'] }];
  },
  // BITFIELD key ...: read-only while every operation is GET or OVERFLOW (anything else,
  // including a syntax error, counts as a write).
  bitfield: (argv) => {
    let readonly = true;
    for (let i = 2; i < argv.length; i++) {
      const rem = argv.length - i - 1;
      const op = asciiLower(argv[i]!);
      if (op === 'get' && rem >= 2) i += 2;
      else if ((op === 'set' || op === 'incrby') && rem >= 3) { readonly = false; break; }
      else if (op === 'overflow' && rem >= 1) i += 1;
      else { readonly = false; break; }
    }
    return [{ pos: 1, flags: readonly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
  },
  // SORT key ... [STORE dest]: the last STORE names the destination; LIMIT, GET and BY
  // arguments are skipped (BY/GET patterns name keys only once the elements are known).
  sort: (argv) => {
    const keys: KeyReference[] = [{ pos: 1, flags: ['RO', 'access'] }];
    let store = 0;
    for (let i = 2; i < argv.length; i++) {
      const a = asciiLower(argv[i]!);
      if (a === 'limit') i += 2;
      else if (a === 'get' || a === 'by') i += 1;
      else if (a === 'store' && i + 1 < argv.length) store = i + 1;
    }
    if (store) keys.push({ pos: store, flags: ['OW', 'update'] });
    return keys;
  },
  sort_ro: () => [{ pos: 1, flags: ['RO', 'access'] }],
};

function hasKeys(cmd: CommandSpec): boolean {
  return cmd.keySpecs.length > 0 || KEY_PROCS[cmd.name] !== undefined;
}

/**
 * The keys of a full command line (`argv[0]` is the command name), as Redis's
 * getKeysFromCommandWithSpecs finds them: from the key specs, unless a spec has
 * variable flags and the command has a key procedure. Empty when the arguments
 * do not fit the specs.
 */
export function getKeys(cmd: CommandSpec, argv: readonly Arg[]): KeyReference[] {
  const hasRealSpec = cmd.keySpecs.some((s) => !s.flags.includes('not_key'));
  const hasVariableFlags = cmd.keySpecs.some((s) => s.flags.includes('variable_flags'));
  if (hasRealSpec && !hasVariableFlags) {
    const keys = keysFromSpecs(cmd, argv);
    if (keys) return keys;
  }
  const proc = KEY_PROCS[cmd.name];
  return proc ? proc(argv) : [];
}

/** getKeysUsingKeySpecs: null when a spec cannot be applied to these arguments. */
function keysFromSpecs(cmd: CommandSpec, argv: readonly Arg[]): KeyReference[] | null {
  const argc = argv.length;
  const keys: KeyReference[] = [];
  for (const spec of cmd.keySpecs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    const bs = spec.begin_search;
    if (bs.type === 'index') {
      first = bs.spec.index!;
    } else if (bs.type === 'keyword') {
      const startfrom = bs.spec.startfrom!;
      const keyword = asciiLower(bs.spec.keyword!);
      const start = startfrom > 0 ? startfrom : argc + startfrom;
      const end = startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (asciiLower(argv[i]!) === keyword) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // keyword absent: this spec has no keys
    } else {
      return null;
    }

    let last: number;
    let step: number;
    const fk = spec.find_keys;
    if (fk.type === 'range') {
      const { lastkey, keystep, limit } = fk.spec as { lastkey: number; keystep: number; limit: number };
      step = keystep;
      if (lastkey >= 0) last = first + lastkey;
      else if (!limit) last = argc + lastkey;
      else last = first + (Math.trunc((argc - first) / limit) + lastkey);
    } else if (fk.type === 'keynum') {
      const { keynumidx, firstkey, keystep } = fk.spec as { keynumidx: number; firstkey: number; keystep: number };
      step = keystep;
      if (first + keynumidx >= argc) return null;
      const text = Buffer.from(argv[first + keynumidx]!).toString('latin1');
      if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return null;
      const numkeys = Number(text);
      if (numkeys < 0 || !Number.isSafeInteger(numkeys)) return null;
      first += firstkey;
      last = first + numkeys - 1;
    } else {
      return null;
    }

    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) continue; // only reachable for variable-arity commands
      keys.push({ pos: i, flags: spec.flags });
    }
  }
  return keys;
}
