// Golden list of command ids. Ids are persisted and shared with WASM, so they
// are append-only: this test fails when an id changes or a command disappears.
// When you add a command, append it here with its new id; never edit a row.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandById } from '../../src/commands/spec.js';
import { CMD, MAX_COMMAND_ID, SUBCMD } from '../../src/commands/ids.generated.js';

const GOLDEN: readonly [string, number][] = [
  ["get", 1],
  ["set", 2],
  ["setnx", 3],
  ["setex", 4],
  ["psetex", 5],
  ["mget", 6],
  ["mset", 7],
  ["msetnx", 8],
  ["getset", 9],
  ["getdel", 10],
  ["getex", 11],
  ["append", 12],
  ["strlen", 13],
  ["getrange", 14],
  ["setrange", 15],
  ["substr", 16],
  ["incr", 17],
  ["decr", 18],
  ["incrby", 19],
  ["decrby", 20],
  ["incrbyfloat", 21],
  ["lcs", 22],
  ["del", 23],
  ["unlink", 24],
  ["exists", 25],
  ["type", 26],
  ["keys", 27],
  ["scan", 28],
  ["rename", 29],
  ["renamenx", 30],
  ["copy", 31],
  ["move", 32],
  ["randomkey", 33],
  ["dbsize", 34],
  ["flushdb", 35],
  ["flushall", 36],
  ["swapdb", 37],
  ["expire", 38],
  ["pexpire", 39],
  ["expireat", 40],
  ["pexpireat", 41],
  ["ttl", 42],
  ["pttl", 43],
  ["expiretime", 44],
  ["pexpiretime", 45],
  ["persist", 46],
  ["touch", 47],
  ["object", 48],
  ["object|encoding", 49],
  ["object|refcount", 50],
  ["object|idletime", 51],
  ["object|freq", 52],
  ["object|help", 53],
  ["ping", 54],
  ["echo", 55],
  ["quit", 56],
  ["reset", 57],
  ["select", 58],
  ["auth", 59],
  ["hello", 60],
  ["client", 61],
  ["client|id", 62],
  ["client|setname", 63],
  ["client|getname", 64],
  ["client|setinfo", 65],
  ["client|list", 66],
  ["client|info", 67],
  ["client|kill", 68],
  ["client|help", 69],
  ["command", 70],
  ["command|count", 71],
  ["command|info", 72],
  ["command|docs", 73],
  ["command|list", 74],
  ["command|getkeys", 75],
  ["command|getkeysandflags", 76],
  ["command|help", 77],
  ["info", 78],
  ["config", 79],
  ["config|get", 80],
  ["config|set", 81],
  ["config|resetstat", 82],
  ["config|help", 83],
  ["time", 84],
  ["shutdown", 85],
  ["debug", 86],
  ["lpush", 87],
  ["rpush", 88],
  ["lpushx", 89],
  ["rpushx", 90],
  ["lpop", 91],
  ["rpop", 92],
  ["llen", 93],
  ["lrange", 94],
  ["lindex", 95],
  ["lset", 96],
  ["linsert", 97],
  ["lrem", 98],
  ["ltrim", 99],
  ["lpos", 100],
  ["lmove", 101],
  ["rpoplpush", 102],
  ["lmpop", 103],
  ["hset", 104],
  ["hsetnx", 105],
  ["hget", 106],
  ["hmset", 107],
  ["hmget", 108],
  ["hdel", 109],
  ["hlen", 110],
  ["hstrlen", 111],
  ["hexists", 112],
  ["hkeys", 113],
  ["hvals", 114],
  ["hgetall", 115],
  ["hincrby", 116],
  ["hincrbyfloat", 117],
  ["hrandfield", 118],
  ["hscan", 119],
  ["sadd", 120],
  ["srem", 121],
  ["smembers", 122],
  ["sismember", 123],
  ["smismember", 124],
  ["scard", 125],
  ["spop", 126],
  ["srandmember", 127],
  ["smove", 128],
  ["sinter", 129],
  ["sintercard", 130],
  ["sinterstore", 131],
  ["sunion", 132],
  ["sunionstore", 133],
  ["sdiff", 134],
  ["sdiffstore", 135],
  ["sscan", 136],
  ["zadd", 137],
  ["zincrby", 138],
  ["zrem", 139],
  ["zcard", 140],
  ["zcount", 141],
  ["zlexcount", 142],
  ["zscore", 143],
  ["zmscore", 144],
  ["zrank", 145],
  ["zrevrank", 146],
  ["zrange", 147],
  ["zrangestore", 148],
  ["zrevrange", 149],
  ["zrangebyscore", 150],
  ["zrevrangebyscore", 151],
  ["zrangebylex", 152],
  ["zrevrangebylex", 153],
  ["zremrangebyrank", 154],
  ["zremrangebyscore", 155],
  ["zremrangebylex", 156],
  ["zpopmin", 157],
  ["zpopmax", 158],
  ["zmpop", 159],
  ["zunion", 160],
  ["zunionstore", 161],
  ["zinter", 162],
  ["zinterstore", 163],
  ["zintercard", 164],
  ["zdiff", 165],
  ["zdiffstore", 166],
  ["zrandmember", 167],
  ["zscan", 168],
];

function allCommands() {
  return COMMANDS.flatMap((c) => [c, ...(c.subcommands ?? [])]);
}

describe('command ids', () => {
  it('keeps every golden id', () => {
    const actual = new Map(allCommands().map((c) => [c.name, c.id]));
    for (const [name, id] of GOLDEN) expect([name, actual.get(name)]).toEqual([name, id]);
  });

  it('gives new commands new ids above the golden ones, each used once', () => {
    const goldenMax = Math.max(...GOLDEN.map(([, id]) => id));
    const golden = new Set(GOLDEN.map(([name]) => name));
    const seen = new Set<number>();
    for (const c of allCommands()) {
      expect(seen.has(c.id), `id ${c.id} used twice`).toBe(false);
      seen.add(c.id);
      expect(c.id).toBeGreaterThan(0);
      if (!golden.has(c.name)) expect(c.id, `${c.name} must take an id after ${goldenMax}`).toBeGreaterThan(goldenMax);
      expect(commandById(c.id)).toBe(c);
    }
  });

  it('matches the generated TypeScript mirror', () => {
    const top = Object.fromEntries(COMMANDS.map((c) => [c.name.toUpperCase(), c.id]));
    expect(CMD).toEqual(top);
    const subs = Object.fromEntries(
      COMMANDS.flatMap((c) => c.subcommands ?? []).map((s) => [s.name.toUpperCase().replace(/[|-]/g, '_'), s.id]),
    );
    expect(SUBCMD).toEqual(subs);
    expect(MAX_COMMAND_ID).toBe(Math.max(...allCommands().map((c) => c.id)));
  });

  it('has up-to-date generated files (npm run gen:commands)', () => {
    // Throws (non-zero exit) when assembly/commands/table.generated.ts or ids.generated.ts is stale.
    const root = fileURLToPath(new URL('../..', import.meta.url));
    execFileSync(process.execPath, ['scripts/gen-commands.mjs', '--check'], { cwd: root, stdio: 'pipe' });
  });
});
