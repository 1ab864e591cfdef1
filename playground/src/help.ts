/**
 * `help <command>` in the playground, as redis-cli answers it: the command's syntax line built
 * from COMMAND DOCS (the engine's own docs, so the page needs no table of its own), then its
 * summary, since and group. Pure functions over a decoded COMMAND DOCS reply (RESP2 or RESP3),
 * no DOM: also used by the Node tests, which compare the syntax lines with redis-cli's.
 *
 * Syntax rules (how redis-cli renders Redis's argument tree): a block joins its arguments with
 * spaces, a one-of with `|`; a token is written before the argument's name (a pure token is the
 * token alone); a repeatable argument becomes `x [x ...]` (`x [TOKEN x ...]` when each repeat
 * carries the token); an optional one is wrapped in `[…]`.
 */
import type { Reply } from './resp.js';

const text = (r: Reply | undefined): string =>
  r === undefined ? '' : r.t === 'bulk' || r.t === 'verbatim' ? new TextDecoder().decode(r.b) : r.t === 'status' ? r.s : r.t === 'int' ? r.n : '';

/** A RESP2 flat array or a RESP3 map of name → value, as a Map. */
function fields(r: Reply | undefined): Map<string, Reply> {
  const m = new Map<string, Reply>();
  if (r === undefined || !('items' in r)) return m;
  for (let i = 0; i + 1 < r.items.length; i += 2) m.set(text(r.items[i]), r.items[i + 1]!);
  return m;
}

const list = (r: Reply | undefined): Reply[] => (r !== undefined && 'items' in r ? r.items : []);

/** One argument of COMMAND DOCS rendered as redis-cli's help shows it. */
function argument(arg: Reply): string {
  const f = fields(arg);
  const type = text(f.get('type'));
  const flags = new Set(list(f.get('flags')).map(text));
  const token = f.has('token') ? text(f.get('token')) : undefined;
  let name: string | undefined;
  if (type === 'block') name = list(f.get('arguments')).map(argument).join(' ');
  else if (type === 'oneof') name = list(f.get('arguments')).map(argument).join('|');
  else if (type !== 'pure-token') name = text(f.get('name'));
  if (flags.has('multiple')) name = flags.has('multiple_token') ? `${name} [${token} ${name} ...]` : `${name} [${name} ...]`;
  if (token !== undefined) name = name === undefined ? token : `${token} ${name}`;
  if (flags.has('optional')) name = `[${name}]`;
  return name ?? '';
}

/** The syntax line of a command from its COMMAND DOCS entry: `SET key value [NX|XX] …`. */
export function syntaxLine(displayName: string, docs: Reply): string {
  const args = list(fields(docs).get('arguments')).map(argument).filter((a) => a !== '');
  return [displayName, ...args].join(' ');
}

/**
 * The help for `words` (`['set']`, `['client', 'kill']`) from the reply of
 * `COMMAND DOCS <words[0]>`; undefined when the engine does not know the command.
 */
export function helpText(words: string[], reply: Reply): string | undefined {
  const top = fields(reply).values().next().value as Reply | undefined;
  if (top === undefined) return undefined;
  let docs: Reply = top;
  let display = words[0]!.toUpperCase();
  if (words.length > 1) {
    const wanted = `${words[0]!.toLowerCase()}|${words[1]!.toLowerCase()}`;
    const sub = fields(fields(top).get('subcommands')).get(wanted);
    if (sub === undefined) return undefined;
    docs = sub;
    display = `${display} ${words[1]!.toUpperCase()}`;
  }
  const f = fields(docs);
  return [
    `  ${syntaxLine(display, docs)}`,
    `  summary: ${text(f.get('summary'))}`,
    `  since: ${text(f.get('since'))}`,
    `  group: ${text(f.get('group'))}`,
  ].join('\n');
}
