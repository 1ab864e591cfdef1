/**
 * Command: one request as a framework handler sees it — its arguments, and the request as RESP.
 */

/** One client request. */
export class Command {
  /** The arguments, name first, as the client sent them (binary-safe). */
  readonly args: Buffer[];
  private encoded: Buffer | undefined;

  /** @param args the request's arguments, name first */
  constructor(args: Buffer[]) {
    this.args = args;
  }

  /** The command name in lower case (`args[0]` as latin1), for switch statements. */
  get name(): string {
    return this.args.length > 0 ? this.args[0].toString('latin1').toLowerCase() : '';
  }

  /** The request as a RESP multibulk message (also for requests that arrived inline). */
  get raw(): Buffer {
    if (this.encoded) return this.encoded;
    const parts: Buffer[] = [Buffer.from(`*${this.args.length}\r\n`, 'latin1')];
    for (const a of this.args) parts.push(Buffer.from(`$${a.length}\r\n`, 'latin1'), a, CRLF);
    this.encoded = Buffer.concat(parts);
    return this.encoded;
  }
}

const CRLF = Buffer.from('\r\n', 'latin1');
