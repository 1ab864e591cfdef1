/**
 * Messages between the supervisor (threads.ts) and worker threads (thread-worker.ts): the one
 * bus every cross-thread event goes through.
 */
import type { ClientFilter } from './cluster.js';

/** What a worker thread is started with (workerData). */
export interface WorkerInit {
  index: number;
  memory: WebAssembly.Memory;
  counters: SharedArrayBuffer;
  /** Every configuration parameter, as the supervisor has it. */
  config: [string, string][];
  logLevel: string;
  logfile: string;
  configFile: string;
  /** The supervisor's script (INFO server executable). */
  executable: string;
  threads: number;
  /** Listening sockets to accept on; empty for the first worker, which opens them. */
  fds: number[];
  port?: number;
  /** URL of the module whose `commands` export every worker registers (ServerOptions.commandsModule). */
  commandsModule?: string;
}

/** Requests that need every thread's connections. */
export type BusOp =
  | { op: 'clientLines'; filter: ClientFilter; currentId: number }
  | { op: 'kill'; filter: ClientFilter };

export type FromWorker =
  | { t: 'ready'; port: number; host: string; fds: number[]; addresses: string[] }
  | { t: 'listenError'; message: string; code?: string }
  | { t: 'req'; id: number; op: BusOp }
  | { t: 'done'; id: number; requestId: number; result: unknown }
  | { t: 'config'; name: string; value: string }
  | { t: 'shutdown' }
  | { t: 'fatal'; error: string };

export type ToWorker =
  | { t: 'do'; id: number; requestId: number; op: BusOp }
  | { t: 'res'; id: number; results: unknown[] }
  | { t: 'config'; name: string; value: string }
  | { t: 'close' };
