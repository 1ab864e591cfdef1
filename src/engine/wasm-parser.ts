/**
 * WasmRequestParser: the engine's RESP request parser (assembly/resp/parser.ts) behind the same
 * interface as the JavaScript RespRequestParser, for comparison (bench/parser) and for framework
 * users who want parsed arguments in JavaScript. The server itself never materialises arguments:
 * it parses and executes inside WASM in one call.
 */
import { EngineCore } from './core.js';
import { ProtocolError } from '../resp/errors.js';

const PROTOCOL_ERRORS: Record<number, string> = {
  1: 'ERR Protocol error: too big inline request',
  2: 'ERR Protocol error: unbalanced quotes in request',
  3: 'ERR Protocol error: too big mbulk count string',
  4: 'ERR Protocol error: invalid multibulk length',
  5: 'ERR Protocol error: too big bulk count string',
  7: 'ERR Protocol error: invalid bulk length',
  8: 'ERR Protocol error: unauthenticated multibulk length',
  9: 'ERR Protocol error: unauthenticated bulk length',
};

// worker region fields as u32 indexes (assembly/worker.ts)
const W_IN_PTR = 0, W_IN_CAP = 1, W_ARGV_PTR = 4, W_CONSUMED = 6, W_NEED = 8, W_BATCH_PTR = 16;

/** Options of {@link WasmRequestParser}. */
export interface WasmRequestParserOptions {
  /** Largest bulk argument accepted, like Redis's proto-max-bulk-len. Default 512 MiB. */
  maxBulkLen?: number;
  /** Largest argument count accepted. Default and ceiling 2^31-1 (Redis's INT_MAX). */
  maxMultibulkLen?: number;
  /** Apply Redis's pre-AUTH limits (count > 10 or bulk > 16384 is a protocol error). */
  authRequired?: boolean;
}

/** Incremental RESP request parser running in WebAssembly (its own engine instance and memory). */
export class WasmRequestParser {
  authRequired: boolean;
  private readonly core: EngineCore;
  /** Unparsed bytes of an incomplete command, as received (concatenated once it is worth it). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = 0;
  private failure: ProtocolError | null = null;

  constructor(opts: WasmRequestParserOptions = {}) {
    this.core = new EngineCore({ databases: 1, shared: false });
    this.authRequired = opts.authRequired ?? false;
    this.core.exports.setProtoMaxBulkLen(opts.maxBulkLen ?? 512 * 1024 * 1024);
    this.core.exports.setMaxMultibulkLen(Math.min(opts.maxMultibulkLen ?? 2147483647, 2147483647));
  }

  /** Feed bytes; returns the commands they complete (arguments copied out as Buffers). */
  execute(chunk: Uint8Array): Buffer[][] {
    if (this.failure) throw this.failure;
    let input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pendingBytes > 0) {
      this.pending.push(input);
      this.pendingBytes += input.length;
      if (this.pendingBytes < this.need) return [];
      input = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    const commands: Buffer[][] = [];
    const ex = this.core.exports;
    const region = this.core.region;
    const field = (i: number) => new Uint32Array(this.core.memory.buffer, region, 32)[i];
    if (field(W_IN_CAP) < input.length) ex.reserveInput(region, input.length, 0);
    this.core.view(field(W_IN_PTR), input.length).set(input);
    let start = 0;
    for (;;) {
      const r = ex.parseOnly(region, start, input.length, this.authRequired ? 0 : 1);
      const n = r < 0 ? -r : r;
      const parsed = r < 0 ? n - 1 : n;
      const u32 = new Uint32Array(this.core.memory.buffer);
      const batch = field(W_BATCH_PTR) >>> 2, argv = field(W_ARGV_PTR) >>> 2;
      for (let i = 0; i < parsed; i++) {
        const base = u32[batch + i * 4], argc = u32[batch + i * 4 + 1];
        const args: Buffer[] = new Array(argc);
        for (let a = 0; a < argc; a++) {
          const p = u32[argv + (base + a) * 2], l = u32[argv + (base + a) * 2 + 1];
          args[a] = this.core.copyOut(p, l);
        }
        commands.push(args);
      }
      const consumed = field(W_CONSUMED);
      if (r < 0) {
        const code = ex.parseErrorCode();
        const b = ex.parseErrorByte();
        // Redis replaces CR/LF in error texts with spaces; other bytes are sent as they are
        const msg = code === 6
          ? `ERR Protocol error: expected '$', got '${b === 13 || b === 10 ? ' ' : String.fromCharCode(b)}'`
          : PROTOCOL_ERRORS[code] ?? 'ERR Protocol error';
        this.failure = new ProtocolError(msg, commands);
        throw this.failure;
      }
      if (n === 1024 && consumed < input.length && field(W_NEED) === 0) { start = consumed; continue; } // batch table full
      if (consumed < input.length) {
        this.pending = [Buffer.from(input.subarray(consumed))];
        this.pendingBytes = input.length - consumed;
        // unknown (0): the incomplete line is short, so parse again on the next byte
        this.need = field(W_NEED);
      }
      return commands;
    }
  }

  /** Forget any partial command and a previous protocol error. */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.need = 0;
    this.failure = null;
  }
}
