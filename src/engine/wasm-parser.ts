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
  /** Bytes of an incomplete command kept at the start of the region's input buffer. */
  private pendingBytes = 0;
  private u32: Uint32Array;
  private need = 0;
  private failure: ProtocolError | null = null;

  constructor(opts: WasmRequestParserOptions = {}) {
    this.core = new EngineCore({ databases: 1, shared: false });
    this.u32 = new Uint32Array(this.core.memory.buffer);
    this.authRequired = opts.authRequired ?? false;
    this.core.exports.setProtoMaxBulkLen(opts.maxBulkLen ?? 512 * 1024 * 1024);
    this.core.exports.setMaxMultibulkLen(Math.min(opts.maxMultibulkLen ?? 2147483647, 2147483647));
  }

  /** Feed bytes; returns the commands they complete (arguments copied out as Buffers). */
  execute(chunk: Uint8Array): Buffer[][] {
    if (this.failure) throw this.failure;
    const input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const ex = this.core.exports;
    const region = this.core.region;
    // the unparsed tail of earlier calls stays in the region's input buffer (`pendingBytes`);
    // the new bytes are appended after it, so nothing is copied twice
    const prefix = this.pendingBytes;
    const total = prefix + input.length;
    let inPtr = this.field(W_IN_PTR);
    if (this.field(W_IN_CAP) < total) {
      inPtr = ex.reserveInput(region, total, prefix);
      if (inPtr === 0) throw new Error('wasmdis: out of engine memory');
    }
    this.core.view(inPtr + prefix, input.length).set(input);
    this.pendingBytes = total;
    if (total < this.need) return [];
    const commands: Buffer[][] = [];
    let start = 0;
    for (;;) {
      const r = ex.parseOnly(region, start, total, this.authRequired ? 0 : 1);
      const n = r < 0 ? -r : r;
      const parsed = r < 0 ? n - 1 : n;
      this.field(0); // refresh the view if memory grew
      const u32 = this.u32;
      const batch = this.field(W_BATCH_PTR) >>> 2, argv = this.field(W_ARGV_PTR) >>> 2;
      const chunkStart = inPtr + prefix, chunkEnd = chunkStart + input.length;
      for (let i = 0; i < parsed; i++) {
        const base = u32[batch + i * 4], argc = u32[batch + i * 4 + 1], inline = u32[batch + i * 4 + 3] === 1;
        const args: Buffer[] = new Array(argc);
        for (let a = 0; a < argc; a++) {
          const p = u32[argv + (base + a) * 2], l = u32[argv + (base + a) * 2 + 1];
          // multibulk arguments are byte ranges of the input: hand out views of the caller's
          // chunk when they lie in it (as the JS parsers do), copies otherwise
          args[a] = !inline && p >= chunkStart && p + l <= chunkEnd
            ? input.subarray(p - chunkStart, p - chunkStart + l)
            : this.core.copyOut(p, l);
        }
        commands.push(args);
      }
      const consumed = this.field(W_CONSUMED);
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
      if (n === 1024 && consumed < total && this.field(W_NEED) === 0) { start = consumed; continue; } // batch table full
      // keep the unparsed tail at the front of the input buffer for the next call
      if (consumed > 0 && consumed < total) this.core.view(inPtr, total).copyWithin(0, consumed, total);
      this.pendingBytes = total - consumed;
      // unknown (0): the incomplete line is short, so parse again on the next chunk
      this.need = this.pendingBytes > 0 ? this.field(W_NEED) : 0;
      return commands;
    }
  }

  /** A field of the worker region (the view is re-made only when memory grew). */
  private field(i: number): number {
    if (this.u32.buffer.byteLength !== this.core.memory.buffer.byteLength) this.u32 = new Uint32Array(this.core.memory.buffer);
    return this.u32[(this.core.region >>> 2) + i];
  }

  /** Forget any partial command and a previous protocol error. */
  reset(): void {
    this.pendingBytes = 0;
    this.need = 0;
    this.failure = null;
  }
}
