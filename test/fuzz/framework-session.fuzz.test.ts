// Fuzzes the framework's read loop (src/framework/session.ts), which takes whole RESP commands off
// the front of each read itself (arguments as offsets into the read) and hands the rest to the JS
// parser. Whatever the chunking, the handler must see exactly the commands the parser finds in
// the whole stream, through every accessor, and a bad stream must end with the parser's protocol
// error and a close, after the same commands. Seeded: FUZZ_SEED=<n> reproduces, FUZZ_ROUNDS=<n>
// makes it longer.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { connectionServer } from '../../src/framework/session.js';
import { Conn, Command } from '../../src/framework/index.js';
import { RespRequestParser } from '../../src/resp/request-parser.js';
import { ProtocolError } from '../../src/resp/errors.js';
import { Prng, randomChunks } from '../resp/prng.js';
import { generateStream, mutate } from '../resp/request-streams.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122) >>> 0;
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 1);
console.log(`framework session fuzz: seed ${SEED} (FUZZ_SEED=${SEED} reproduces)`);

/** Just enough of a net.Socket for the read loop: it records what is written and whether it ended. */
class FakeSocket extends EventEmitter {
  written: Buffer[] = [];
  ended = false;
  destroyed = false;
  writableLength = 0;
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  setNoDelay(): void {}
  setKeepAlive(): void {}
  write(b: Buffer): boolean { this.written.push(Buffer.from(b)); return true; }
  end(): void { this.ended = true; }
  destroy(): void { this.destroyed = true; }
  pause(): void {}
  resume(): void {}
}

interface Outcome { commands: string[][]; error?: string }

/** What the parser finds in the whole stream (the reference). */
function reference(data: Buffer): Outcome {
  try {
    return { commands: new RespRequestParser({ tile38: true }).execute(data).map((c) => c.map((a) => a.toString('latin1'))) };
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { commands: err.commands.map((c) => c.map((a) => a.toString('latin1'))), error: err.message };
  }
}

/** Every accessor of a command must agree; returns its arguments. */
function seen(cmd: Command): string[] {
  const args = Array.from({ length: cmd.argc }, (_, i) => cmd.str(i));
  for (let i = 0; i < cmd.argc; i++) {
    if (cmd.arg(i).toString('latin1') !== args[i] || cmd.copyArg(i).toString('latin1') !== args[i]) throw new Error(`accessors disagree on argument ${i}`);
  }
  if (cmd.args.map((a) => a.toString('latin1')).join('\0') !== args.join('\0')) throw new Error('args disagrees');
  if (cmd.argc > 0 && cmd.name !== args[0]!.toLowerCase()) throw new Error('name disagrees');
  return args;
}

/** Runs `chunks` through a framework read loop; returns the commands its handler saw and the error it sent. */
function session(chunks: Uint8Array[]): Outcome {
  const commands: string[][] = [];
  const serve = connectionServer({ handler: (conn: Conn, cmd: Command) => { commands.push(seen(cmd)); conn.writeString('OK'); } }, { shims: false }, new Set());
  const socket = new FakeSocket();
  serve(socket as never);
  for (const c of chunks) {
    if (socket.ended) break;
    socket.emit('data', Buffer.from(c));
  }
  const replies = Buffer.concat(socket.written).toString('latin1');
  const error = /-(ERR Protocol error[^\r]*)\r\n$/.exec(replies)?.[1];
  if (error !== undefined && !socket.ended) throw new Error('protocol error without a close');
  return error === undefined ? { commands } : { commands, error };
}

function check(data: Buffer, rng: Prng, label: string): void {
  const want = reference(data);
  expect(session([data]), `${label} / whole`).toEqual(want);
  expect(session(randomChunks(data, rng)), `${label} / random chunks`).toEqual(want);
  if (data.length <= 400) {
    expect(session(Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1))), `${label} / byte by byte`).toEqual(want);
  }
}

describe(`framework session fuzz (seed ${SEED})`, () => {
  it('valid streams reach the handler as the parser reads them, however chunked', () => {
    const rng = new Prng(SEED);
    for (let i = 0; i < 400 * ROUNDS; i++) check(generateStream(rng).bytes, rng, `seed ${SEED} valid #${i}`);
  });

  it('mutated streams: the same commands, then the same protocol error and a close', () => {
    const rng = new Prng(SEED ^ 0x9e3779b9);
    let errors = 0;
    for (let i = 0; i < 2500 * ROUNDS; i++) {
      const { bytes } = generateStream(rng);
      const data = mutate(bytes.length > 1500 ? bytes.subarray(0, 1500) : bytes, rng);
      if (reference(data).error !== undefined) errors++;
      check(data, rng, `seed ${SEED} mutated #${i}`);
    }
    expect(errors).toBeGreaterThan(100); // the mutations do reach the error paths
  });
});
