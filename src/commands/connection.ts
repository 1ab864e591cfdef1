/**
 * Connection commands run by the host: AUTH HELLO SELECT QUIT RESET CLIENT. They read and
 * change the Session (per-connection state) and the server's session registry; PING and ECHO
 * run in the engine (assembly/commands/connection.ts).
 */
import { protocolChanged, resetPubsub } from './pubsub.js';
import type { ReplyWriter } from '../resp/reply-writer.js';
import { CANCEL_TIMEOUT, CANCEL_ERROR } from '../engine/blocked.js';
import type { Session } from '../engine/session.js';
import type { HostAction, HostContext } from './host.js';
import { clientMatches, type ClientFilter } from '../server/cluster.js';
import { discardTransaction } from './transactions.js';

const REDIS_VERSION = '7.0.15';

function lower(b: Buffer): string {
  return b.toString('latin1').toLowerCase();
}

/** Strict integer parse as Redis's string2ll; undefined when invalid. */
export function parseInteger(b: Buffer | string): bigint | undefined {
  const s = typeof b === 'string' ? b : b.toString('latin1');
  if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return undefined;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return v;
}

/** QUIT */
export function quitCommand(_args: Buffer[], out: ReplyWriter): HostAction {
  out.status('OK');
  return 'close';
}

/** SELECT index */
export function selectCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  const v = parseInteger(args[1]);
  if (v === undefined || v < -2147483648n || v > 2147483647n) { out.error('ERR value is not an integer or out of range'); return; }
  const n = Number(v);
  if (n < 0 || n >= ctx.server.config.getNumber('databases')) { out.error('ERR DB index is out of range'); return; }
  session.db = n;
  out.status('OK');
}

function passwordMatches(ctx: HostContext, username: string, password: Buffer): boolean {
  const required = ctx.server.config.get('requirepass') ?? '';
  if (username !== 'default') return false;
  if (required === '') return true; // nopass: any password
  return password.toString('latin1') === required;
}

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

/** AUTH [username] password */
export function authCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  if (args.length > 3) { out.error('ERR syntax error'); return; }
  let username = 'default';
  let password: Buffer;
  if (args.length === 2) {
    if ((ctx.server.config.get('requirepass') ?? '') === '') {
      out.error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
      return;
    }
    password = args[1];
  } else {
    username = args[1].toString('latin1');
    password = args[2];
  }
  if (passwordMatches(ctx, username, password)) {
    session.authed = true;
    session.user = username;
    out.status('OK');
  } else {
    out.error(WRONGPASS);
  }
}

/** Redis's rule for client names: printable ASCII, no spaces. */
function validName(name: Buffer): boolean {
  for (const c of name) if (c < 0x21 || c > 0x7e) return false;
  return true;
}

const BAD_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
export function helloCommand(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  let ver = 0;
  let next = 1;
  if (args.length >= 2) {
    const v = parseInteger(args[next++]);
    if (v === undefined) { out.error('ERR Protocol version is not an integer or out of range'); return; }
    if (v < 2n || v > 3n) { out.error('NOPROTO unsupported protocol version'); return; }
    ver = Number(v);
  }
  let auth: [string, Buffer] | undefined;
  let name: Buffer | undefined;
  for (let j = next; j < args.length; j++) {
    const more = args.length - 1 - j;
    const opt = lower(args[j]);
    if (opt === 'auth' && more >= 2) { auth = [args[j + 1].toString('latin1'), args[j + 2]]; j += 2; }
    else if (opt === 'setname' && more >= 1) { name = args[j + 1]; j++; }
    else { out.error(`ERR Syntax error in HELLO option '${args[j].toString('latin1')}'`); return; }
  }
  if (auth) {
    if (!passwordMatches(ctx, auth[0], auth[1])) { out.error(WRONGPASS); return; }
    session.authed = true;
    session.user = auth[0];
  }
  if (!session.authed) {
    out.error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
    return;
  }
  if (name) {
    if (!validName(name)) { out.error(BAD_NAME); return; }
    session.name = name.toString('latin1');
  }
  if (ver && ver !== session.resp) {
    session.resp = ver as 2 | 3;
    protocolChanged(session, ctx);
  }
  out.resp = session.resp;
  out.mapLen(7);
  out.bulk('server').bulk('redis');
  out.bulk('version').bulk(REDIS_VERSION);
  out.bulk('proto').int(session.resp);
  out.bulk('id').int(session.id);
  out.bulk('mode').bulk('standalone');
  out.bulk('role').bulk('master');
  out.bulk('modules').arrayLen(0);
}

/** RESET */
export function resetCommand(_args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void {
  discardTransaction(session, ctx.core);
  session.db = 0;
  session.resp = 2;
  session.name = '';
  session.authed = (ctx.server.config.get('requirepass') ?? '') === '';
  session.user = 'default';
  resetPubsub(session, ctx);
  out.resp = 2;
  out.status('RESET');
}

// ─── CLIENT ─────────────────────────────────────────────────────────────────────────────────

/** One CLIENT LIST / CLIENT INFO line, fields as Redis 7.0 prints them. */
export function clientInfoLine(s: Session, now: number, isCurrent: boolean): string {
  const age = Math.floor((now - s.createdAt) / 1000);
  const idle = Math.floor((now - s.lastCommandAt) / 1000);
  const cmd = isCurrent ? 'client|' + (s.lastCommand.includes('|') ? s.lastCommand.split('|')[1] : 'list') : s.lastCommand;
  // in Redis's order: O (monitor) … P (pubsub) x (multi) b (blocked) d (a watched key changed)
  const flags = (s.monitor ? 'O' : '') + (s.subscriptionCount() > 0 ? 'P' : '') + (s.inMulti ? 'x' : '') + (s.blockedWaiter !== 0 ? 'b' : '') +
    (s.watchRecord !== 0 && s.watchDirty() ? 'd' : '');
  return `id=${s.id} addr=${s.addr} laddr=${s.laddr} fd=${s.fd} name=${s.name} age=${age} idle=${idle} flags=${flags || 'N'} ` +
    `db=${s.db} sub=${s.subs?.channels.size ?? 0} psub=${s.subs?.patterns.size ?? 0} ssub=${s.subs?.shard.size ?? 0} multi=${s.txQueue !== 0 ? s.txCount : s.execCount} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 ` +
    `omem=0 tot-mem=1024 events=r cmd=${cmd} user=${s.user} redir=-1 resp=${s.resp}`;
}

// Help prose is our own; only the first line's shape follows Redis's convention.
const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ID',
  '    Numeric id of this connection.',
  'GETNAME',
  '    Name given to this connection, or nil.',
  'SETNAME <name>',
  '    Name this connection (printable characters, no spaces).',
  'SETINFO (LIB-NAME|LIB-VER) <value>',
  '    Record the client library and its version for CLIENT LIST.',
  'INFO',
  '    One line describing this connection.',
  'LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <id> [<id> ...]]',
  '    One line per connection, optionally filtered.',
  'KILL <ip:port>',
  '    Close the connection from <ip:port>.',
  'KILL <filter> <value> [<filter> <value> ...]',
  '    Close every connection matching all filters; replies with how many were closed.',
  '    Filters: ID <id>, ADDR <ip:port>, LADDR <ip:port>, TYPE <type>, USER <name>,',
  '    SKIPME (YES|NO) (default YES: never close the calling connection).',
  'UNBLOCK <id> [TIMEOUT|ERROR]',
  '    End the wait of a client blocked in BLPOP and the like: as if its timeout passed, or with',
  '    an UNBLOCKED error.',
  'HELP',
  '    Print this help.',
];

const CLIENT_TYPES = ['normal', 'master', 'replica', 'slave', 'pubsub'];

/** CLIENT <subcommand> ... (arity of each subcommand checked by the engine) */
export function clientCommand(
  args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext,
): HostAction | void | Promise<HostAction | void> {
  const sub = lower(args[1]);
  const now = Date.now();
  session.lastCommand = `client|${sub}`;
  switch (sub) {
    case 'id':
      out.int(session.id);
      return;
    case 'getname':
      out.bulk(session.name === '' ? null : session.name);
      return;
    case 'setname': {
      const name = args[2];
      if (!validName(name)) { out.error(BAD_NAME); return; }
      session.name = name.toString('latin1');
      out.status('OK');
      return;
    }
    case 'setinfo': {
      const attr = lower(args[2]);
      const value = args[3];
      if (attr !== 'lib-name' && attr !== 'lib-ver') { out.error(`ERR Unrecognized option '${args[2].toString('latin1')}'`); return; }
      for (const c of value) if (c < 0x21 || c > 0x7e) {
        out.error(`ERR ${attr === 'lib-name' ? 'lib-name' : 'lib-ver'} cannot contain spaces, newlines or special characters.`);
        return;
      }
      if (attr === 'lib-name') session.libName = value.toString('latin1'); else session.libVer = value.toString('latin1');
      out.status('OK');
      return;
    }
    case 'info':
      out.verbatim(clientInfoLine(session, now, true) + '\n', 'txt');
      return;
    case 'list':
      return clientList(args, out, session, ctx);
    case 'kill':
      return clientKill(args, out, session, ctx);
    case 'unblock':
      clientUnblock(args, out, ctx);
      return;
    case 'help':
      out.arrayLen(CLIENT_HELP.length);
      for (const line of CLIENT_HELP) out.status(line);
      return;
  }
  out.error(`ERR unknown subcommand '${args[1].toString('latin1')}'. Try CLIENT HELP.`);
}

function clientList(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): void | Promise<void> {
  const filter: ClientFilter = {};
  let i = 2;
  while (i < args.length) {
    const opt = lower(args[i]);
    if (opt === 'type' && i + 1 < args.length) {
      const type = lower(args[i + 1]);
      if (!CLIENT_TYPES.includes(type)) { out.error(`ERR Unknown client type '${args[i + 1].toString('latin1')}'`); return; }
      filter.type = type;
      i += 2;
    } else if (opt === 'id' && i + 1 < args.length) {
      filter.ids = [];
      for (i = i + 1; i < args.length; i++) {
        const v = parseInteger(args[i]);
        if (v === undefined || v < 1n) { out.error('ERR Invalid client ID'); return; }
        filter.ids.push(Number(v));
      }
    } else { out.error('ERR syntax error'); return; }
  }
  const render = (lines: string[]) => { out.verbatim(lines.map((l) => l + '\n').join(''), 'txt'); };
  const lines = ctx.server.cluster.clientLines(filter, session.id);
  if (lines instanceof Promise) return lines.then(render);
  render(lines);
}

function clientKill(args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext): HostAction | void | Promise<HostAction | void> {
  const filter: ClientFilter = {};
  let skipme = true;
  const oldStyle = args.length === 3;
  if (oldStyle) {
    filter.addr = args[2].toString('latin1');
    skipme = false;
  } else {
    let i = 2;
    while (i < args.length) {
      const opt = lower(args[i]);
      if (i + 1 >= args.length) { out.error('ERR syntax error'); return; }
      const val = args[i + 1].toString('latin1');
      if (opt === 'id') {
        const v = parseInteger(val);
        if (v === undefined) { out.error('ERR value is not an integer or out of range'); return; }
        if (v < 1n) { out.error('ERR client-id should be greater than 0'); return; }
        filter.ids = [Number(v)];
      } else if (opt === 'type') {
        const type = val.toLowerCase();
        if (!CLIENT_TYPES.includes(type)) { out.error(`ERR Unknown client type '${val}'`); return; }
        filter.type = type;
      } else if (opt === 'addr') filter.addr = val;
      else if (opt === 'laddr') filter.laddr = val;
      else if (opt === 'user') {
        if (val !== 'default') { out.error(`ERR No such user '${val}'`); return; }
        filter.user = val;
      } else if (opt === 'skipme') {
        const v = val.toLowerCase();
        if (v === 'yes') skipme = true; else if (v === 'no') skipme = false; else { out.error('ERR syntax error'); return; }
      } else { out.error('ERR syntax error'); return; }
      i += 2;
    }
  }
  // the calling connection is handled here (it must get its reply before closing); every other
  // match, on any thread, is closed by the cluster
  const self = !skipme && clientMatches(session, filter);
  const finish = (others: number): HostAction => {
    const killed = others + (self ? 1 : 0);
    if (oldStyle) {
      if (killed === 0) out.error('ERR No such client'); else out.status('OK');
    } else out.int(killed);
    return self ? 'close' : 'continue';
  };
  const others = ctx.server.cluster.killClients({ ...filter, skipId: session.id });
  if (others instanceof Promise) return others.then(finish);
  return finish(others);
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR]: the client may wait on any thread (the registry is shared). */
function clientUnblock(args: Buffer[], out: ReplyWriter, ctx: HostContext): void {
  if (args.length > 4) {
    // Redis names the subcommand as the client spelled it
    out.error(`ERR unknown subcommand or wrong number of arguments for '${args[1].toString('latin1')}'. Try CLIENT HELP.`);
    return;
  }
  let mode = CANCEL_TIMEOUT;
  if (args.length === 4) {
    const reason = lower(args[3]);
    if (reason === 'error') mode = CANCEL_ERROR;
    else if (reason !== 'timeout') { out.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR'); return; }
  }
  const id = parseInteger(args[2]);
  if (id === undefined) { out.error('ERR value is not an integer or out of range'); return; }
  const core = ctx.core;
  out.int(core.exports.unblockClient(core.region, Number(id), mode));
  // the client may be one of this thread's: hand it its reply now
  core.blocked.drain();
}
