/**
 * ServerState: what every host command may read about the server as a whole — configuration,
 * connected sessions, counters, the engine cores — and the hooks that act on it (shutdown).
 * One per server or in-process engine. Owns no sockets.
 */
import { randomBytes } from 'node:crypto';
import { Config } from './config.js';
import type { Session } from '../engine/session.js';
import type { EngineCore } from '../engine/core.js';

/** Counters reported by INFO stats. */
export interface ServerStats {
  totalConnections: number;
  rejectedConnections: number;
  totalNetInput: number;
  totalNetOutput: number;
}

export class ServerState {
  readonly config: Config;
  readonly startedAt = Date.now();
  readonly runId = randomBytes(20).toString('hex');
  /** Live sessions by CLIENT ID. */
  readonly sessions = new Map<number, Session>();
  readonly stats: ServerStats = { totalConnections: 0, rejectedConnections: 0, totalNetInput: 0, totalNetOutput: 0 };
  /** Engine cores (one per thread); INFO sums their counters. */
  readonly cores: EngineCore[] = [];
  /** Port actually listened on (0 for an in-process engine). */
  port = 0;
  /** Whether this is a TCP server (SHUTDOWN, CLIENT KILL need one). */
  readonly networked: boolean;
  /** Set by the server: stop serving and exit (SHUTDOWN). */
  shutdown: (() => void) | undefined;
  /** DEBUG SET-ACTIVE-EXPIRE: whether the periodic cycle expires keys. */
  activeExpire = true;
  /** Executable path and config file for INFO server. */
  executable = process.argv[1] ?? '';
  configFile = '';

  constructor(config: Config, networked: boolean) {
    this.config = config;
    this.networked = networked;
  }
}
