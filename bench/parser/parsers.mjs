// The parsers under test, behind one small interface so the runner times them alike.
//
// It owns: one adapter per parser. `parse(read)` feeds one read and returns how many commands
// it completed; `parse(read, onCommand)` also hands each command's arguments (Buffer[]) to
// onCommand, for the correctness check before timing. It must not time anything.
//
// The WASM parse-only adapter does what the server does with a socket read
// (src/engine/core.ts, EngineCore.feed/runInput) minus execution: keep an incomplete tail until
// the bytes it needs have arrived, copy the reads into the worker region's input buffer, call
// parseOnly() until the read is consumed (at most 1024 commands per call), trim buffers after
// reads over 1 MiB. Arguments stay in WASM memory as (pointer, length) pairs; nothing is
// materialised in JavaScript.

import RedisParser from 'redis-parser';
import { RespRequestParser, WasmRequestParser } from '../../dist/src/index.js';
import { EngineCore } from '../../dist/src/engine/core.js';

// worker region fields as u32 indexes (assembly/worker.ts; the same constants as src/engine)
const W_IN_PTR = 0, W_IN_CAP = 1, W_ARGV_PTR = 4, W_CONSUMED = 6, W_NEED = 8, W_BATCH_PTR = 16;
/** assembly/worker.ts MAX_BATCH: commands per parseOnly() call. */
const MAX_BATCH = 1024;
/** src/engine/core.ts TRIM_ABOVE: reads larger than this get the region's buffers trimmed after. */
const TRIM_ABOVE = 1024 * 1024;

/** The engine's parser as the server runs it: bytes in, (pointer, length) argument tables out. */
class WasmParseOnly {
  constructor() {
    this.core = new EngineCore({ databases: 1, shared: false });
    this.ex = this.core.exports;
    this.region = this.core.region;
    this.ex.setProtoMaxBulkLen(512 * 1024 * 1024);
    this.pending = [];
    this.pendingBytes = 0;
    this.need = 0;
    this.refresh();
  }

  refresh() {
    this.buffer = this.core.memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
  }

  field(i) {
    if (this.core.memory.buffer !== this.buffer) this.refresh(); // memory grew
    return this.u32[(this.region >>> 2) + i];
  }

  parse(read, onCommand) {
    // as EngineCore.feed: gather reads until the incomplete command can complete, then copy each
    // read straight into the input buffer (no intermediate concatenation)
    let reads = [read];
    let len = read.length;
    if (this.pendingBytes > 0) {
      this.pending.push(read);
      this.pendingBytes += read.length;
      if (this.pendingBytes < this.need) return 0;
      reads = this.pending;
      len = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
    }
    const ex = this.ex;
    if (this.field(W_IN_CAP) < len && ex.reserveInput(this.region, len, 0) === 0) throw new Error('out of engine memory');
    const inPtr = this.field(W_IN_PTR);
    let at = inPtr;
    for (const r of reads) { this.u8.set(r, at); at += r.length; }
    let start = 0;
    let total = 0;
    for (;;) {
      const n = ex.parseOnly(this.region, start, len, 1);
      if (n < 0) throw new Error(`wasm parseOnly: protocol error ${ex.parseErrorCode()}`);
      total += n;
      if (onCommand) this.materialise(n, onCommand);
      const consumed = this.field(W_CONSUMED);
      if (n === MAX_BATCH && consumed < len && this.field(W_NEED) === 0) {
        start = consumed;
        continue;
      }
      if (consumed < len) {
        this.pending = [Buffer.from(this.u8.subarray(inPtr + consumed, inPtr + len))];
        this.pendingBytes = len - consumed;
        this.need = this.field(W_NEED);
      } else {
        this.need = 0;
      }
      break;
    }
    if (len > TRIM_ABOVE) ex.trimBuffers(this.region);
    return total;
  }

  /** Copy the last batch out (checking only; the server never does this). */
  materialise(n, onCommand) {
    const batch = this.field(W_BATCH_PTR) >>> 2, argv = this.field(W_ARGV_PTR) >>> 2;
    const u32 = this.u32;
    for (let i = 0; i < n; i++) {
      const base = u32[batch + i * 4], argc = u32[batch + i * 4 + 1];
      const args = [];
      for (let a = 0; a < argc; a++) {
        const p = u32[argv + (base + a) * 2], l = u32[argv + (base + a) * 2 + 1];
        args.push(Buffer.from(this.u8.subarray(p, p + l)));
      }
      onCommand(args);
    }
  }
}

/** Adapter for the parsers with the RespRequestParser shape: execute(read) → Buffer[][]. */
class ExecuteAdapter {
  constructor(parser) {
    this.parser = parser;
  }

  parse(read, onCommand) {
    const commands = this.parser.execute(read);
    if (onCommand) for (const c of commands) onCommand(c);
    return commands.length;
  }
}

/** redis-parser: replies come through a callback, one per complete top-level array. */
class RedisParserAdapter {
  constructor() {
    this.count = 0;
    this.onCommand = null;
    this.parser = new RedisParser({
      returnBuffers: true,
      returnReply: (reply) => {
        this.count++;
        if (this.onCommand) this.onCommand(reply);
      },
      returnError: (err) => {
        throw new Error(`redis-parser returned an error reply: ${err.message}`);
      },
      returnFatalError: (err) => {
        throw err;
      },
    });
  }

  parse(read, onCommand) {
    this.count = 0;
    this.onCommand = onCommand ?? null;
    this.parser.execute(read);
    return this.count;
  }
}

/**
 * The parsers, in table order; the last one is the peer. `id` is stable (parser.json keys).
 * `note` says what a row measures, for the results file.
 */
export const PARSERS = [
  {
    id: 'wasm-parse-only',
    label: 'wasm (parse only, as the server uses it)',
    note: 'WASM parseOnly(): arguments stay in WASM memory as (pointer, length); includes copying each read into the region, as the server does',
    create: () => new WasmParseOnly(),
  },
  {
    id: 'wasm-buffers',
    label: 'wasm → JS Buffers',
    note: 'WasmRequestParser.execute(): the same WASM parse, then every argument copied out into a new Buffer',
    create: () => new ExecuteAdapter(new WasmRequestParser()),
  },
  {
    id: 'js',
    label: 'JS parser (RespRequestParser)',
    note: 'RespRequestParser.execute(): arguments are views into the read (copied only when they straddle two reads)',
    create: () => new ExecuteAdapter(new RespRequestParser()),
  },
  {
    id: 'redis-parser',
    label: 'redis-parser 3.0 (peer)',
    note: 'redis-parser with returnBuffers: true, reading requests as arrays of bulk strings (no inline commands); arguments are views into the read',
    create: () => new RedisParserAdapter(),
  },
];
