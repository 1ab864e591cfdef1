/**
 * Host command table: the commands the engine hands back to TypeScript (FLAG_HOST in the command
 * table) — connection state, server introspection, and the few keyspace commands that are easier
 * with JavaScript numbers (INCRBYFLOAT, HINCRBYFLOAT, LCS). Maps ids to family functions; the families live
 * beside this file.
 */
import type { ReplyWriter } from '../resp/reply-writer.js';
import type { Session } from '../engine/session.js';
import type { EngineCore } from '../engine/core.js';
import type { ServerState } from '../server/state.js';
import { CMD } from './ids.generated.js';
import * as connection from './connection.js';
import * as server from './server.js';
import * as stringsHost from './strings-host.js';
import * as hashesHost from './hashes-host.js';
import * as transactions from './transactions.js';
import { commandCommand } from './command-command.js';
import * as pubsub from './pubsub.js';
import { COMMANDS } from './spec.js';
import { CUSTOM_ID_BASE } from './custom.js';

/** What a host command can reach: the engine instance it runs on and the server. */
export interface HostContext {
  core: EngineCore;
  server: ServerState;
}

/** After a host command: carry on, or close the connection once the reply is sent. */
export type HostAction = 'continue' | 'close';

type HostResult = HostAction | void | Promise<HostAction | void>;
type HostFn = (args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext) => HostResult;

const TABLE = new Map<number, HostFn>([
  [CMD.QUIT, connection.quitCommand],
  [CMD.RESET, connection.resetCommand],
  [CMD.SELECT, connection.selectCommand],
  [CMD.AUTH, connection.authCommand],
  [CMD.HELLO, connection.helloCommand],
  [CMD.CLIENT, connection.clientCommand],
  [CMD.COMMAND, (args, out, _session, ctx) => commandCommand(args, out, ctx.core.custom)],
  [CMD.INFO, server.infoCommand],
  [CMD.CONFIG, server.configCommand],
  [CMD.TIME, server.timeCommand],
  [CMD.SHUTDOWN, server.shutdownCommand],
  [CMD.DEBUG, server.debugCommand],
  [CMD.INCRBYFLOAT, stringsHost.incrbyfloatCommand],
  [CMD.LCS, stringsHost.lcsCommand],
  [CMD.HINCRBYFLOAT, hashesHost.hincrbyfloatCommand],
  [CMD.SUBSCRIBE, pubsub.subscribeCommand],
  [CMD.UNSUBSCRIBE, pubsub.unsubscribeCommand],
  [CMD.PSUBSCRIBE, pubsub.psubscribeCommand],
  [CMD.PUNSUBSCRIBE, pubsub.punsubscribeCommand],
  [CMD.SSUBSCRIBE, pubsub.ssubscribeCommand],
  [CMD.SUNSUBSCRIBE, pubsub.sunsubscribeCommand],
  [CMD.MONITOR, pubsub.monitorCommand],
  [CMD.WATCH, transactions.watchCommand],
  [CMD.UNWATCH, transactions.unwatchCommand],
  // MULTI DISCARD EXEC are answered by the engine (assembly/run.ts); an EXEC whose queue holds
  // host commands is EngineCore.exec (src/engine/core.ts)
]);

/**
 * Run host command `id` (a top-level id or a subcommand id; arity and NOAUTH already checked by
 * the engine). The reply goes to `out`. Commands that need other worker threads (CLIENT LIST,
 * CLIENT KILL) return a Promise; the reply is complete when it resolves.
 */
export function runHostCommand(
  id: number, args: Buffer[], out: ReplyWriter, session: Session, ctx: HostContext,
): HostAction | Promise<HostAction> {
  if (id >= CUSTOM_ID_BASE) {
    // a custom command (src/commands/custom.ts); its ctx.call reaches the host commands here
    ctx.core.custom.run(id, args, out, session, {
      core: ctx.core,
      runBuiltin: (hid, hargs, hout, s) => runHostCommand(hid, hargs, hout, s, ctx),
    });
    return 'continue';
  }
  const fn = TABLE.get(id) ?? TABLE.get(containerOf(id));
  if (!fn) {
    out.error(`ERR command '${args[0].toString('latin1').toLowerCase()}' is not available`);
    return 'continue';
  }
  const r = fn(args, out, session, ctx);
  if (r instanceof Promise) return r.then((a) => a ?? 'continue');
  return r ?? 'continue';
}

/** Subcommand ids map to their container's function (subcommands share the id space). */
const CONTAINER_OF = new Map<number, number>();
for (const cmd of COMMANDS) for (const sub of cmd.subcommands ?? []) CONTAINER_OF.set(sub.id, cmd.id);

function containerOf(id: number): number {
  return CONTAINER_OF.get(id) ?? id;
}
