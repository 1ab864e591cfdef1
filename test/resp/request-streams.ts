/**
 * Seeded generators of request streams for the fuzz tests: valid streams that carry known
 * commands (multibulk, inline with quotes and escapes, the blank lines and empty counts Redis
 * skips), and mutations of them that reach the parser's error paths.
 */
import { Prng } from './prng.js';

export interface Generated {
  bytes: Buffer;
  commands: string[][];
}

const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.{}';

function randomBytes(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(256));
  return s;
}

function argLength(rng: Prng): number {
  const r = rng.next();
  if (r < 0.6) return rng.int(12);
  if (r < 0.95) return rng.int(200);
  return rng.range(1000, 6000);
}

/** One inline argument: its text on the wire and the bytes it stands for. */
function inlineArg(rng: Prng): [wire: string, value: string] {
  let plain = '';
  const n = rng.range(1, 10);
  for (let i = 0; i < n; i++) plain += rng.pick([...TOKEN_CHARS]);
  switch (rng.int(4)) {
    case 0:
      return [`"${plain} x"`, `${plain} x`];
    case 1:
      return [`'${plain}\\'s'`, `${plain}'s`];
    case 2: {
      const byte = rng.int(256);
      const hex = byte.toString(16).padStart(2, '0');
      return [`"\\x${hex}\\n${plain}"`, `${String.fromCharCode(byte)}\n${plain}`];
    }
    default:
      return [plain, plain];
  }
}

/** A valid stream of commands together with the commands it carries. */
export function generateStream(rng: Prng): Generated {
  const parts: string[] = [];
  const commands: string[][] = [];
  const count = rng.range(1, 20);
  for (let c = 0; c < count; c++) {
    const kind = rng.next();
    if (kind < 0.65) {
      const args: string[] = [];
      const argc = rng.range(1, 6);
      for (let i = 0; i < argc; i++) args.push(randomBytes(rng, argLength(rng)));
      parts.push(`*${argc}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
      commands.push(args);
    } else if (kind < 0.9) {
      const wires: string[] = [];
      const values: string[] = [];
      const argc = rng.range(1, 5);
      for (let i = 0; i < argc; i++) {
        const [wire, value] = inlineArg(rng);
        wires.push(wire);
        values.push(value);
      }
      const sep = rng.pick([' ', '  ', '\t']);
      parts.push(`${rng.pick(['', ' '])}${wires.join(sep)}${rng.pick(['\r\n', '\n'])}`);
      commands.push(values);
    } else {
      // Things Redis skips: empty lines and empty or negative multibulk counts.
      parts.push(rng.pick(['\r\n', '\n', '   \n', '*0\r\n', '*-1\r\n', '*-42\r\n']));
    }
  }
  return { bytes: Buffer.from(parts.join(''), 'latin1'), commands };
}

const INSERTS = ['\r', '\n', '\r\n', '*', '$', '0', '1', '9', '-', '\0', '"', "'", '\\', ' ', '\x0b',
  '$-1\r\n', '*2147483648\r\n', '$536870913\r\n', '$99999999999999999999\r\n', '*3000000000\r\n',
  '$536870912\r\n', '*-9223372036854775809\r\n'];

/** Applies 1-4 random mutations. */
export function mutate(data: Buffer, rng: Prng): Buffer {
  let bytes = Buffer.from(data);
  const n = rng.range(1, 4);
  for (let m = 0; m < n; m++) {
    const at = rng.int(bytes.length + 1);
    switch (rng.int(6)) {
      case 0: // bit flip
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)]! ^= 1 << rng.int(8);
        break;
      case 1: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 2: // insert a token that matters to the grammar
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(INSERTS), 'latin1'), bytes.subarray(at)]);
        break;
      case 3: { // delete a slice
        const len = rng.range(1, 8);
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]);
        break;
      }
      case 4: { // duplicate a slice
        const len = rng.range(1, 32);
        bytes = Buffer.concat([bytes.subarray(0, at + len), bytes.subarray(at, at + len), bytes.subarray(at + len)]);
        break;
      }
      default: // overwrite with a random byte
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = rng.int(256);
    }
  }
  return bytes;
}

