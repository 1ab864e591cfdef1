/**
 * Redis 7.0's dispatch errors (processCommand: commandCheckExistence, then
 * commandCheckArity), byte for byte, for the host's command dispatch.
 *
 * Texts are returned without the leading `-` and with the `ERR` code, ready for
 * `ReplyWriter.error()`. The `…Bytes` variants keep arguments that are not
 * valid UTF-8 exactly as Redis echoes them; pass them to `ReplyWriter.raw()`
 * as `-` + bytes + CRLF.
 *
 * Owns: the error texts and the existence/arity check order. Must not touch the
 * server, connections or the RESP encoder.
 */
import { arityAccepts, asciiLower, findCommand, findSubcommand, type CommandSpec } from './spec.js';

/** Redis prints at most this many bytes of a name, and of the argument list. */
const ECHO_LIMIT = 128;

const toBytes = (s: string | Uint8Array): Buffer =>
  typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s.buffer, s.byteOffset, s.byteLength);

/** `%.Ns` of C: at most `max` bytes, and nothing from the first NUL byte on. */
function cString(s: string | Uint8Array, max: number): Buffer {
  const b = toBytes(s);
  const nul = b.indexOf(0);
  const end = Math.min(nul < 0 ? b.length : nul, max);
  return b.subarray(0, end);
}

/** CR and LF become spaces (sdsmapchars), so user bytes cannot break the protocol. */
function mapNewlines(b: Buffer): Buffer {
  for (let i = 0; i < b.length; i++) if (b[i] === 13 || b[i] === 10) b[i] = 32;
  return b;
}

/**
 * `ERR wrong number of arguments for 'get' command`. Redis prints the command's
 * own lower-case full name (`client|setname`), whatever the client's spelling.
 */
export function arityError(cmd: CommandSpec | string): string {
  const name = typeof cmd === 'string' ? asciiLower(cmd) : cmd.name;
  return `ERR wrong number of arguments for '${name}' command`;
}

/**
 * `ERR unknown command 'foo', with args beginning with: 'a' 'b' ` as bytes.
 * The name is cut at 128 bytes; arguments are quoted one by one, each followed
 * by a space, until the list reaches 128 bytes (the last one is cut to fit);
 * every value stops at its first NUL byte.
 */
export function unknownCommandErrorBytes(args: readonly (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [Buffer.from("ERR unknown command '"), cString(args[0] ?? '', ECHO_LIMIT),
    Buffer.from("', with args beginning with: ")];
  let listed = 0;
  for (let i = 1; i < args.length && listed < ECHO_LIMIT; i++) {
    const arg = cString(args[i]!, ECHO_LIMIT - listed);
    parts.push(Buffer.from("'"), arg, Buffer.from("' "));
    listed += arg.length + 3;
  }
  return mapNewlines(Buffer.concat(parts));
}

/** {@link unknownCommandErrorBytes} as a string (bytes that are not UTF-8 become U+FFFD). */
export function unknownCommandError(args: readonly (string | Uint8Array)[]): string {
  return unknownCommandErrorBytes(args).toString('utf8');
}

/** `ERR unknown subcommand 'x'. Try CLIENT HELP.` as bytes (subcommand cut at 128 bytes). */
export function unknownSubcommandErrorBytes(cmd: string | Uint8Array, sub: string | Uint8Array): Buffer {
  const container = cString(cmd, Infinity).toString('latin1').replace(/[a-z]+/g, (m) => m.toUpperCase());
  return mapNewlines(Buffer.concat([Buffer.from("ERR unknown subcommand '"), cString(sub, ECHO_LIMIT),
    Buffer.from(`'. Try ${container} HELP.`, 'latin1')]));
}

/** {@link unknownSubcommandErrorBytes} as a string. */
export function unknownSubcommandError(cmd: string | Uint8Array, sub: string | Uint8Array): string {
  return unknownSubcommandErrorBytes(cmd, sub).toString('utf8');
}

/** What {@link checkCommand} found: the command to run, or the error to reply with. */
export type CommandCheck =
  | { ok: true; cmd: CommandSpec }
  | { ok: false; error: string; errorBytes: Buffer };

/**
 * Resolves argv to a command (or subcommand) and checks its arity, in Redis's
 * order: unknown command, unknown subcommand of a container, wrong arity.
 * A container called without a subcommand is checked as itself (`CLIENT` →
 * wrong number of arguments for 'client').
 */
export function checkCommand(args: readonly (string | Uint8Array)[]): CommandCheck {
  const base = args.length > 0 ? findCommand(args[0]!) : undefined;
  if (!base) {
    const errorBytes = unknownCommandErrorBytes(args);
    return { ok: false, error: errorBytes.toString('utf8'), errorBytes };
  }
  let cmd = base;
  if (base.subcommands && args.length > 1) {
    const sub = findSubcommand(base, args[1]!);
    if (!sub) {
      const errorBytes = unknownSubcommandErrorBytes(args[0]!, args[1]!);
      return { ok: false, error: errorBytes.toString('utf8'), errorBytes };
    }
    cmd = sub;
  }
  if (!arityAccepts(cmd, args.length)) {
    // a refused EXEC aborts the transaction, and says so (Redis's execCommandAbort)
    const error = cmd.name === 'exec'
      ? `EXECABORT Transaction discarded because of: ${arityError(cmd).slice(4)}`
      : arityError(cmd);
    return { ok: false, error, errorBytes: Buffer.from(error) };
  }
  return { ok: true, cmd };
}
