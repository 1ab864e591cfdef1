// The server under hostile input: many connections send seeded, mutated RESP and inline streams
// (truncated, bit-flipped, huge lengths, random bytes) for a bounded time. The server must keep
// serving a well-behaved client throughout, and stay consistent afterwards. FUZZ_SEED replays.
import { describe, it, expect } from 'vitest';
import net from 'node:net';
import { startServer } from '../../src/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { Prng } from '../resp/prng.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 2);

const COMMANDS = [
  ['SET', 'k', 'v'], ['GET', 'k'], ['INCR', 'n'], ['MSET', 'a', '1', 'b', '2'], ['RPUSH', 'l', 'x', 'y'],
  ['LRANGE', 'l', '0', '-1'], ['EXPIRE', 'k', '100'], ['DEL', 'a'], ['SCAN', '0'], ['CLIENT', 'LIST'],
  ['HELLO', '3'], ['INFO'], ['CONFIG', 'GET', 'maxmemory'], ['SELECT', '1'], ['LPOS', 'l', 'x'],
];

function encode(args: string[]): Buffer {
  return Buffer.from(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
}

/** A valid pipeline, then damaged in a few random ways. */
function hostileStream(rng: Prng): Buffer {
  const parts: Buffer[] = [];
  const n = 1 + rng.int(20);
  for (let i = 0; i < n; i++) {
    const cmd = COMMANDS[rng.int(COMMANDS.length)]!;
    parts.push(rng.int(5) === 0 ? Buffer.from(cmd.join(' ') + '\r\n') : encode(cmd));
  }
  const buf = Buffer.concat(parts);
  const damage = rng.int(6);
  if (damage === 0) return buf; // valid
  if (damage === 1) return buf.subarray(0, rng.int(buf.length)); // truncated
  if (damage === 2) { for (let i = 0; i < 4; i++) buf[rng.int(buf.length)] ^= 1 << rng.int(8); return buf; }
  if (damage === 3) return Buffer.concat([buf, Buffer.from(`*${rng.int(2 ** 31)}\r\n$${rng.int(2 ** 30)}\r\n`)]);
  if (damage === 4) return Buffer.from(Array.from({ length: 1 + rng.int(300) }, () => rng.int(256)));
  return Buffer.concat([buf, Buffer.from('"unbalanced\r\n*3\r\n$3\r\nSET\r\n')]);
}

async function hammer(port: number, rng: Prng, until: number): Promise<number> {
  let sent = 0;
  while (Date.now() < until) {
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.on('data', () => { /* replies are not checked: the server just has to survive */ });
      s.on('connect', () => {
        const chunks = 1 + rng.int(4);
        const stream = hostileStream(rng);
        const step = Math.ceil(stream.length / chunks);
        for (let i = 0; i < stream.length; i += step) s.write(stream.subarray(i, i + step));
        sent++;
        setTimeout(() => s.destroy(), rng.int(30));
      });
    });
  }
  return sent;
}

describe('server fuzz', () => {
  console.log(`[server-fuzz] seed=${SEED} seconds=${SECONDS} (replay: FUZZ_SEED=${SEED})`);
  for (const threads of [1, 2]) {
    it(`keeps serving under hostile input (threads ${threads})`, { timeout: 30_000 }, async () => {
      const server = await startServer({ port: 0, bind: '127.0.0.1', logLevel: 'silent', threads });
      try {
        const control = await RawClient.connect(server.port);
        const until = Date.now() + SECONDS * 1000;
        const attackers = Promise.all([0, 1, 2, 3].map((i) => hammer(server.port, new Prng(SEED + i), until)));
        let pings = 0;
        while (Date.now() < until) {
          expect((await control.send('PING')).toString()).toBe('+PONG\r\n');
          pings++;
          await new Promise((r) => setTimeout(r, 20));
        }
        const sent = (await attackers).reduce((a, b) => a + b, 0);
        console.log(`[server-fuzz] threads=${threads}: ${sent} hostile connections, ${pings} control PINGs answered`);
        expect(sent).toBeGreaterThan(20);
        // still consistent: a fresh client can read, write and count keys
        const after = await RawClient.connect(server.port);
        expect((await after.send('SET', 'after', 'ok')).toString()).toBe('+OK\r\n');
        expect((await after.send('GET', 'after')).toString()).toBe('$2\r\nok\r\n');
        expect((await after.send('DBSIZE')).toString()).toMatch(/^:\d+\r\n$/);
        await after.close();
        await control.close();
        expect(server.failure).toBeUndefined();
      } finally {
        await server.close();
      }
    });
  }
});
