/**
 * Session: the per-connection state a command can see or change — selected db, protocol,
 * authentication, client name — plus the unparsed tail of its input. Shared by TCP clients
 * and the in-process Engine.
 */

let nextId = 1;

/** State of one client connection (or one in-process Engine). */
export class Session {
  /** CLIENT ID: unique and increasing, as in Redis. */
  readonly id = nextId++;
  db = 0;
  resp: 2 | 3 = 2;
  authed = true;
  user = 'default';
  name = '';
  libName = '';
  libVer = '';
  /** Seconds-resolution creation time and last command time (CLIENT LIST age/idle). */
  readonly createdAt = Date.now();
  lastCommandAt = Date.now();
  lastCommand = 'NULL';
  /** Request bytes received but not yet parsed into a complete command. */
  pending: Buffer[] = [];
  pendingBytes = 0;
  /** Bytes the incomplete command needs before it is worth parsing again (0 = unknown). */
  need = 0;
  /** Remote address `ip:port` and local `ip:port` (empty for in-process sessions). */
  addr = '';
  laddr = '';
  fd = -1;
  /** Set by CLIENT KILL: the transport closes the connection. */
  killed = false;
  /** Called to close the transport (set by the server). */
  closeTransport: (() => void) | undefined;
}
