/**
 * Handshake shims: the commands real clients send on their own (ioredis: INFO for its ready check,
 * CLIENT SETNAME; node-redis: HELLO, CLIENT SETINFO, SELECT; redis-cli: COMMAND DOCS), answered
 * well enough that they connect to a framework server whose handler knows none of them. Each shim
 * can be switched off (`shims: { info: false }`) to hand that command to the handler, or all of
 * them (`shims: false`).
 */
import type { Conn } from './conn.js';
import type { Command } from './command.js';

/** The commands the shims answer. */
export type ShimName = 'ping' | 'echo' | 'hello' | 'client' | 'command' | 'info' | 'select' | 'quit';

/** `true` / absent: every shim on; `false`: none; or per command. */
export type ShimOptions = boolean | Partial<Record<ShimName, boolean>>;

const SHIMS: Record<ShimName, (conn: Conn, cmd: Command) => boolean> = {
  ping(conn, cmd) {
    if (cmd.args.length > 2) return false;
    if (cmd.args.length === 2) conn.writeBulk(cmd.args[1]!); else conn.writeString('PONG');
    return true;
  },
  echo(conn, cmd) {
    if (cmd.args.length !== 2) return false;
    conn.writeBulk(cmd.args[1]!);
    return true;
  },
  hello(conn, cmd) {
    const a = cmd.args;
    if (a.length >= 2) {
      const v = a[1]!.toString('latin1');
      if (v !== '2' && v !== '3') { conn.writeError('NOPROTO unsupported protocol version'); return true; }
      conn.protocol = v === '3' ? 3 : 2;
    }
    for (let i = 2; i < a.length; i++) {
      const opt = a[i]!.toString('latin1').toLowerCase();
      if (opt === 'setname' && i + 1 < a.length) { conn.name = a[++i]!.toString('latin1'); continue; }
      if (opt === 'auth' && i + 2 < a.length) { i += 2; continue; } // no users here: any credentials pass
      conn.writeError(`ERR Syntax error in HELLO option '${a[i]!.toString('latin1')}'`);
      return true;
    }
    conn.writeMap(7);
    conn.writeBulkString('server'); conn.writeBulkString('redis');
    conn.writeBulkString('version'); conn.writeBulkString('7.0.15');
    conn.writeBulkString('proto'); conn.writeInt(conn.protocol);
    conn.writeBulkString('id'); conn.writeInt(conn.id);
    conn.writeBulkString('mode'); conn.writeBulkString('standalone');
    conn.writeBulkString('role'); conn.writeBulkString('master');
    conn.writeBulkString('modules'); conn.writeArray(0);
    return true;
  },
  client(conn, cmd) {
    const sub = cmd.args[1]?.toString('latin1').toLowerCase();
    if (sub === 'setname' && cmd.args.length === 3) { conn.name = cmd.args[2]!.toString('latin1'); conn.writeString('OK'); return true; }
    if (sub === 'getname' && cmd.args.length === 2) { if (conn.name) conn.writeBulkString(conn.name); else conn.writeNull(); return true; }
    if (sub === 'setinfo' && cmd.args.length === 4) { conn.writeString('OK'); return true; }
    if (sub === 'id' && cmd.args.length === 2) { conn.writeInt(conn.id); return true; }
    return false;
  },
  command(conn, cmd) {
    const sub = cmd.args[1]?.toString('latin1').toLowerCase();
    if (sub === undefined || sub === 'info' || sub === 'list') { conn.writeArray(0); return true; }
    if (sub === 'docs') { conn.writeMap(0); return true; }
    if (sub === 'count') { conn.writeInt(0); return true; }
    return false;
  },
  info(conn) {
    conn.writeBulkString('# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n# Persistence\r\nloading:0\r\n');
    return true;
  },
  select(conn, cmd) {
    if (cmd.args.length !== 2) return false;
    if (cmd.args[1]!.toString('latin1') !== '0') { conn.writeError('ERR DB index is out of range'); return true; }
    conn.writeString('OK');
    return true;
  },
  quit(conn) {
    conn.writeString('OK');
    conn.close();
    return true;
  },
};

/**
 * The shim dispatcher for `options` (undefined when every shim is off): answers `cmd` on `conn`
 * and returns true, or returns false to hand the command to the application's handler.
 */
export function shimsFor(options: ShimOptions | undefined): ((conn: Conn, cmd: Command) => boolean) | undefined {
  if (options === false) return undefined;
  const on = (name: ShimName) => options === undefined || options === true || options[name] !== false;
  const active = new Map<string, (conn: Conn, cmd: Command) => boolean>();
  for (const name of Object.keys(SHIMS) as ShimName[]) if (on(name)) active.set(name, SHIMS[name]);
  return (conn, cmd) => {
    const shim = active.get(cmd.name);
    return shim !== undefined && shim(conn, cmd);
  };
}
