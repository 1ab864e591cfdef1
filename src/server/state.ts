/**
 * ServerState: what every host command may read about the server as a whole — configuration,
 * connected sessions, counters, the engine cores — and the hooks that act on it (shutdown).
 * One per server or in-process engine. Owns no sockets.
 */
import { randomBytes } from 'node:crypto';
import { Config } from './config.js';
import type { Session } from '../engine/session.js';
import type { EngineCore } from '../engine/core.js';
import { SharedCounters, LocalCluster, type Cluster } from './cluster.js';

export class ServerState {
  readonly config: Config;
  readonly startedAt = Date.now();
  readonly runId = randomBytes(20).toString('hex');
  /** This thread's live sessions by CLIENT ID (other threads' are reached through `cluster`). */
  readonly sessions = new Map<number, Session>();
  /** Counters shared by every thread of the server (connections, traffic, engine regions). */
  readonly counters: SharedCounters;
  /** Every thread's connections, config changes and shutdown (LocalCluster with one thread). */
  cluster: Cluster;
  /** This thread's engine instance. */
  core: EngineCore | undefined;
  /** Port actually listened on (0 for an in-process engine). */
  port = 0;
  /** Whether this is a TCP server (SHUTDOWN, CLIENT KILL need one). */
  readonly networked: boolean;
  /** Set by the server: stop serving and exit (SHUTDOWN). */
  shutdown: (() => void) | undefined;
  /** Flush this thread's batched counters into `counters` (INFO calls it first). */
  flushCounters: (() => void) | undefined;
  /** Threads serving connections (INFO). */
  threads = 1;
  /** Executable path and config file for INFO server. */
  executable = process.argv[1] ?? '';
  configFile = '';

  constructor(config: Config, networked: boolean, counters?: SharedCounters) {
    this.config = config;
    this.networked = networked;
    this.counters = counters ?? new SharedCounters();
    this.cluster = new LocalCluster(this.sessions, () => this.shutdown?.());
  }
}
