/**
 * Error types of the JavaScript RESP layer.
 *
 * Owns: `ProtocolError` (a peer sent bytes that are not a valid request or reply) and
 * `ReplyError` (an error reply, `-ERR ...` or `!len`, decoded as a value).
 * Must not touch: anything outside src/resp; these classes carry data, not behaviour.
 */

/**
 * Thrown by the request parser when the input cannot be a request, and by the reply decoder
 * on malformed replies.
 *
 * `message` is Redis's error text without the leading `-`, e.g.
 * `"ERR Protocol error: invalid bulk length"`, ready to be sent back as an error reply before
 * the connection is closed (Redis closes it after the reply).
 */
export class ProtocolError extends Error {
  /**
   * Commands that were complete before the bad bytes in the same `execute` call. Redis runs
   * them before it replies with the protocol error, so a server should do the same.
   */
  readonly commands: Buffer[][];

  /**
   * @param message Redis's error text, e.g. `"ERR Protocol error: invalid multibulk length"`.
   * @param commands Commands parsed before the error in the same call.
   */
  constructor(message: string, commands: Buffer[][] = []) {
    super(message);
    this.name = 'ProtocolError';
    this.commands = commands;
  }
}

/**
 * An error reply decoded from RESP (`-ERR unknown command` or a RESP3 blob error). The decoder
 * returns instances as values, it never throws them; `message` is the text after the `-`.
 */
export class ReplyError extends Error {
  /** @param message The error text without the leading `-`, code included (`"WRONGTYPE ..."`). */
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}
