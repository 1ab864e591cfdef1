/**
 * Messages between the page (main.ts) and the engine worker (worker.ts). The engine runs in a
 * Web Worker: browsers refuse to compile a module this size synchronously on the main thread,
 * and a command that blocks (BLPOP …) must not freeze the page.
 */

/** The REPL connection's state, for the prompt (redis-cli shows db and MULTI). */
export interface SessionState {
  db: number;
  resp: 2 | 3;
  multi: boolean;
  subscribed: number;
  monitor: boolean;
  blocked: boolean;
}

/** One row of the key browser. */
export interface KeyRow {
  /** The key as shown (quoted like redis-cli when not plain printable text). */
  key: string;
  type: string;
  /** PTTL in ms; -1 for no expiry. */
  pttl: number;
  /** Element count (length in bytes for strings). */
  size: number;
  /** A short preview of the value. */
  value: string;
}

/** What the key browser shows: the REPL connection's current database. */
export interface KeySnapshot {
  db: number;
  dbsize: number;
  keys: KeyRow[];
  /** More keys exist than `keys` shows. */
  truncated: boolean;
  /** Not refreshed (MONITOR would show the browser's own reads). */
  paused: string;
}

export type ToWorker =
  | { type: 'command'; id: number; args: Uint8Array[] }
  | { type: 'refresh' }
  /** `help <command>`: answered from the engine's COMMAND DOCS on the unlisted connection. */
  | { type: 'help'; words: string[] }
  /** Ctrl+C while a command blocks: drop the connection (as redis-cli's Ctrl+C does) and open a new one. */
  | { type: 'interrupt' };

export type FromWorker =
  | { type: 'ready'; shared: boolean; wasmFile: string; wasmBytes: number; fetchMs: number; initMs: number }
  | { type: 'reply'; id: number; request: Uint8Array; reply: Uint8Array; closed: boolean; interrupted: boolean; state: SessionState; ms: number }
  | { type: 'state'; state: SessionState }
  | { type: 'push'; bytes: Uint8Array; state: SessionState }
  | { type: 'keys'; snapshot: KeySnapshot }
  | { type: 'help'; text: string }
  | { type: 'fatal'; message: string };
