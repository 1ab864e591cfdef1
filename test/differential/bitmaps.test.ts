/**
 * Differential: Redis 7.0 bitmap commands (SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD
 * BITFIELD_RO), RESP2 and RESP3, against redis-server.
 *
 * Also: bitmaps are strings (GET/STRLEN/APPEND/SETRANGE/OBJECT ENCODING after bit writes, on new
 * keys, on int- and embstr-encoded strings), the proto-max-bulk-len limit on offsets (after
 * CONFIG SET), WRONGTYPE both ways, argument-check order (which error comes first), generic key
 * commands (TYPE, COPY, RENAME, EXPIRE, OBJECT), and long seeded random sequences that mix every
 * bit command over a few keys with GET after each write.
 */
import { it } from 'vitest';
import {
  describeDiff, useDiffEnv, diffCases, skipUnlessImplemented, type DiffEnv, type StepInput,
} from '../helpers/transcript.js';
import { type Arg } from '../helpers/raw-client.js';
import { Prng } from '../resp/prng.js';

const FF = Buffer.alloc(20, 0xff);
const ZEROS = Buffer.alloc(20, 0);
const BIN = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const cases: Record<string, readonly StepInput[]> = {
  'SETBIT GETBIT basics and string view': [
    'SETBIT k 7 1',
    'GET k',
    'STRLEN k',
    'OBJECT ENCODING k',
    'TYPE k',
    'GETBIT k 7',
    'GETBIT k 6',
    'GETBIT k 8',
    'GETBIT k 100000',
    'SETBIT k 7 0',
    'GET k',
    'SETBIT k 0 1',
    'SETBIT k 100 1',
    'STRLEN k',
    'GET k',
    'GETBIT k 100',
    'SETBIT k 100 1',
    'SETBIT k 100 0',
    'SETBIT k 100 0',
    'GETBIT nokey 0',
    'GETBIT nokey 99999999',
    'SETBIT k2 0 0',
    'GET k2',
    'STRLEN k2',
    'SETBIT k3 4294967295 0',
    'SETBIT k3 4294967296 1',
    'EXISTS k3',
    'GETBIT k 4294967295',
    'GETBIT k 4294967296',
    'APPEND k tail',
    'GET k',
    'SETBIT k 0 1',
    'SETRANGE k 2 xyz',
    'GETBIT k 17',
    'GET k',
  ],
  'SETBIT GETBIT argument errors and order': [
    'SETBIT k -1 1',
    'SETBIT k abc 1',
    'SETBIT k 1.5 1',
    'SETBIT k " 1" 1',
    'SETBIT k 01 1',
    'SETBIT k 9223372036854775807 1',
    'SETBIT k 9223372036854775808 1',
    'SETBIT k 0 2',
    'SETBIT k 0 -1',
    'SETBIT k 0 abc',
    'SETBIT k 0 1.0',
    'SETBIT k 0 ""',
    'SETBIT k abc abc',
    'SETBIT k -1 abc',
    'EXISTS k',
    'GETBIT k -1',
    'GETBIT k abc',
    'GETBIT k 4294967296',
    'RPUSH l a',
    'SETBIT l 0 1',
    'GETBIT l 0',
    'SETBIT l -1 1',
    'GETBIT l abc',
    'SETBIT l 0 5',
    'SETBIT',
    'SETBIT k',
    'SETBIT k 0',
    'SETBIT k 0 1 2',
    'GETBIT k',
    'GETBIT k 0 1',
    'GETBIT',
  ],
  'SETBIT on int, embstr and raw strings': [
    'SET n 123',
    'OBJECT ENCODING n',
    'SETBIT n 1 1',
    'GET n',
    'OBJECT ENCODING n',
    'SET n 5',
    'GETBIT n 2',
    'GETBIT n 7',
    'GETBIT n 8',
    'BITCOUNT n',
    'OBJECT ENCODING n',
    'SET e hello',
    'OBJECT ENCODING e',
    'GETBIT e 1',
    'OBJECT ENCODING e',
    'SETBIT e 1 1',
    'OBJECT ENCODING e',
    'SETBIT e 1 0',
    'GET e',
    'SET i -9223372036854775808',
    'BITCOUNT i',
    'BITPOS i 1',
    'BITFIELD i GET u8 0',
    'OBJECT ENCODING i',
    'BITFIELD i SET u8 0 65',
    'GET i',
    'OBJECT ENCODING i',
    'SET big 1',
    'SETBIT big 8 1',
    'GET big',
    'INCR big',
  ],
  'SETBIT keeps the TTL; SET resets it': [
    'SET k v EX 1000',
    'SETBIT k 100 1',
    'ttl: TTL k',
    'BITFIELD k SET u8 200 1',
    'ttl: TTL k',
    'BITOP NOT k k',
    'TTL k',
    'STRLEN k',
  ],
  'proto-max-bulk-len bounds bit offsets': [
    'CONFIG SET proto-max-bulk-len 1mb',
    'SETBIT k 8388608 1',
    'SETBIT k 8388607 1',
    'STRLEN k',
    'GETBIT k 8388607',
    'GETBIT k 8388608',
    'BITCOUNT k',
    'BITPOS k 1',
    'BITPOS k 1 -1',
    'BITPOS k 0 -1',
    'BITFIELD k GET u8 8388608',
    'BITFIELD k GET u8 8388600',
    'BITFIELD k GET i8 #1048575',
    'BITFIELD k GET i8 #1048576',
    'BITFIELD k SET u4 #2097151 15',
    'BITFIELD k SET u4 #2097152 15',
    'DEL k',
    'CONFIG SET proto-max-bulk-len 512mb',
  ],
  'BITCOUNT': [
    'SET s foobar',
    'BITCOUNT s',
    'BITCOUNT s 0 0',
    'BITCOUNT s 1 1',
    'BITCOUNT s 0 -1',
    'BITCOUNT s -1 -1',
    'BITCOUNT s -100 100',
    'BITCOUNT s 100 200',
    'BITCOUNT s 3 1',
    'BITCOUNT s -1 -3',
    'BITCOUNT s -1 -3 BIT',
    'BITCOUNT s -1 -3 foo',
    'BITCOUNT s 1 1 BYTE',
    'BITCOUNT s 1 1 byte',
    'BITCOUNT s 5 30 BIT',
    'BITCOUNT s 5 30 bit',
    'BITCOUNT s 0 0 BIT',
    'BITCOUNT s 7 7 BIT',
    'BITCOUNT s 1 6 BIT',
    'BITCOUNT s 9 9 BIT',
    'BITCOUNT s -3 -1 BIT',
    'BITCOUNT s -48 -1 BIT',
    'BITCOUNT s -49 -1 BIT',
    'BITCOUNT s 0 47 BIT',
    'BITCOUNT s 0 48 BIT',
    'BITCOUNT s 40 1000 BIT',
    'BITCOUNT s 9223372036854775807 9223372036854775807 BIT',
    'BITCOUNT s -9223372036854775808 9223372036854775807',
    'BITCOUNT s -9223372036854775808 9223372036854775807 BIT',
    'BITCOUNT s 0 1 BITS',
    'BITCOUNT s 0 1 BIT extra',
    'BITCOUNT s 0',
    'BITCOUNT s a b',
    'BITCOUNT s 0 b',
    'BITCOUNT s a 0 BIT',
    'BITCOUNT s 0 1 ""',
    'BITCOUNT nokey',
    'BITCOUNT nokey 0',
    'BITCOUNT nokey a b',
    'BITCOUNT nokey 0 1 foo',
    'SET empty ""',
    'BITCOUNT empty',
    'BITCOUNT empty 0 -1',
    'BITCOUNT empty 0 -1 BIT',
    'BITCOUNT empty 0 0',
    ['SET', 'ff', FF],
    'BITCOUNT ff',
    'BITCOUNT ff 3 158 BIT',
    'BITCOUNT ff 1 1 BIT',
    ['SET', 'bin', BIN],
    'BITCOUNT bin',
    'BITCOUNT bin 10 200',
    'BITCOUNT bin 13 1997 BIT',
    'RPUSH l a',
    'BITCOUNT l',
    'BITCOUNT l 0 1',
    'BITCOUNT l a b',
    'BITCOUNT',
  ],
  'BITPOS': [
    'SET s foobar',
    'BITPOS s 1',
    'BITPOS s 0',
    'BITPOS s 1 1',
    'BITPOS s 1 -1',
    'BITPOS s 0 2 -1',
    'BITPOS s 1 2 2',
    'BITPOS s 1 100',
    'BITPOS s 0 100',
    'BITPOS s 1 7 15 BIT',
    'BITPOS s 0 7 15 BIT',
    'BITPOS s 1 7 15 bit',
    'BITPOS s 1 7 15 BYTE',
    'BITPOS s 0 -5 -1 BIT',
    'BITPOS s 1 9 9 BIT',
    'BITPOS s 1 9 10 BIT',
    'BITPOS s 0 0 0 BIT',
    'BITPOS s 0 1 1 BIT',
    'BITPOS s 1 47 47 BIT',
    'BITPOS s 1 47 BIT',
    'BITPOS s 1 40 BIT',
    'BITPOS s 0 40',
    'BITPOS s 0 3 2',
    'BITPOS s 1 -1 -3',
    'BITPOS s 2',
    'BITPOS s -1',
    'BITPOS s a',
    'BITPOS s 1 a',
    'BITPOS s 1 0 a',
    'BITPOS s 1 0 a foo',
    'BITPOS s 1 a 0 foo',
    'BITPOS s 1 0 1 foo',
    'BITPOS s 1 0 1 BIT extra',
    'BITPOS nokey 0',
    'BITPOS nokey 1',
    'BITPOS nokey 1 a',
    'BITPOS nokey 2',
    'BITPOS nokey a',
    ['SET', 'ff', FF],
    'BITPOS ff 0',
    'BITPOS ff 1',
    'BITPOS ff 0 0',
    'BITPOS ff 0 0 -1',
    'BITPOS ff 0 5',
    'BITPOS ff 0 5 10',
    'BITPOS ff 0 3 100 BIT',
    'BITPOS ff 0 3 BIT',
    'BITPOS ff 0 159 BIT',
    'BITPOS ff 0 160 BIT',
    ['SET', 'z', ZEROS],
    'BITPOS z 1',
    'BITPOS z 0',
    'BITPOS z 1 3 -2',
    'BITPOS z 0 17 BIT',
    'BITPOS z 1 17 1000 BIT',
    ['SET', 'bin', BIN],
    'BITPOS bin 1 200',
    'BITPOS bin 0 255',
    'BITPOS bin 0 254 255',
    'BITPOS bin 1 1003 BIT',
    'SET empty ""',
    'BITPOS empty 0',
    'BITPOS empty 1',
    'BITPOS empty 0 0',
    'BITPOS empty 0 0 -1 BIT',
    'RPUSH l a',
    'BITPOS l 0',
    'BITPOS l 2',
    'BITPOS',
    'BITPOS s',
  ],
  'BITPOS bit ranges on many edges': Array.from({ length: 60 }, (_, i) => {
    const start = (i * 7) % 23 - 5;
    const end = (i * 11) % 29 - 8;
    return `BITPOS mix ${i % 2} ${start} ${end} BIT`;
  }).flatMap((c, i) => (i === 0 ? ['SET mix "\\x00\\xff\\x0f\\xf0\\x81"', c] : [c])),
  'BITOP': [
    'SET a foobar',
    'SET b abcdef',
    'BITOP AND d a b',
    'GET d',
    'OBJECT ENCODING d',
    'BITOP OR d a b',
    'GET d',
    'BITOP XOR d a b',
    'GET d',
    'BITOP NOT d a',
    'GET d',
    'BITOP and d a b nokey',
    'GET d',
    'BITOP or d nokey a',
    'GET d',
    'BITOP xor d a a',
    'GET d',
    'STRLEN d',
    'SET short ab',
    'BITOP AND d a short',
    'GET d',
    'BITOP OR d short a',
    'GET d',
    'BITOP XOR d a short b',
    'GET d',
    'BITOP NOT d nokey',
    'EXISTS d',
    'SET d x',
    'BITOP AND d nokey nokey2',
    'EXISTS d',
    'BITOP OR d nokey',
    'SET one 1',
    'BITOP NOT d one',
    'GET d',
    'OBJECT ENCODING d',
    'BITOP AND a a b',
    'GET a',
    'BITOP NOT d a b',
    'BITOP NOT d',
    'BITOP NAND d a',
    'BITOP "" d a',
    'BITOP ANDX d a',
    ['BITOP', Buffer.from('and\0junk'), 'd', 'b', 'short'],
    'GET d',
    'RPUSH l x',
    'BITOP AND d a l',
    'BITOP AND l a',
    'TYPE l',
    'BITOP AND d l nokey',
    'BITOP NOT l a',
    'GET l',
    'SET e ""',
    'BITOP OR d e',
    'EXISTS d',
    'BITOP OR d e a',
    'GET d',
    'SET d v EX 100',
    'BITOP OR d a',
    'TTL d',
    'BITOP',
    'BITOP AND',
    'BITOP AND d',
  ],
  'BITOP over long strings (word-sized fast paths)': [
    ['SET', 'x', Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 255))],
    ['SET', 'y', Buffer.from(Array.from({ length: 777 }, (_, i) => (i * 91 + 3) & 255))],
    ['SET', 'z', Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 5) & 255))],
    'BITOP AND d x y z',
    'GET d',
    'BITOP OR d x y z',
    'GET d',
    'BITOP XOR d x y z nokey',
    'GET d',
    'BITOP NOT d y',
    'GET d',
    'BITCOUNT d',
    'BITCOUNT x 3 900',
    'BITCOUNT x 17 7777 BIT',
    'BITPOS y 0 100',
    'BITPOS y 1 100 500 BIT',
  ],
  'BITFIELD GET SET INCRBY and types': [
    'BITFIELD k GET u8 0',
    'EXISTS k',
    'BITFIELD k SET u8 0 255',
    'GET k',
    'BITFIELD k GET u8 0 GET i8 0 GET u1 0 GET i1 0 GET u4 4 GET i4 4',
    'BITFIELD k SET i8 0 -128 GET u8 0 GET i8 0',
    'BITFIELD k INCRBY u8 0 1 INCRBY i8 0 -1',
    'BITFIELD k SET u16 #1 65535 GET u16 #1 GET i16 #1 GET u8 #2 GET u8 #3',
    'GET k',
    'BITFIELD k SET i64 0 -1 GET u63 0 GET u63 1 GET i64 0 GET i63 1',
    'BITFIELD k SET i64 0 9223372036854775807 GET i64 0 GET u63 0',
    'BITFIELD k SET u63 1 9223372036854775807 GET i64 0',
    'BITFIELD k SET i32 5 -123456 GET i32 5 GET u32 5 GET i13 9',
    'BITFIELD k GET u8 1000',
    'BITFIELD k GET i64 1000',
    'STRLEN k',
    'BITFIELD k SET u5 3 23 GET u5 3',
    'GET k',
    'BITFIELD k',
    'BITFIELD nokey',
    'EXISTS nokey',
    'BITFIELD k OVERFLOW SAT',
    'BITFIELD k get u8 0 set u8 0 1 incrby u8 0 1 overflow wrap',
    'BITFIELD k GET u1 0 GET u63 0 GET i64 0 GET i1 0',
    'BITFIELD k GET u0 0',
    'BITFIELD k GET i0 0',
    'BITFIELD k GET u64 0',
    'BITFIELD k GET i65 0',
    'BITFIELD k GET I8 0',
    'BITFIELD k GET U8 0',
    'BITFIELD k GET 8 0',
    'BITFIELD k GET i 0',
    'BITFIELD k GET i08 0',
    'BITFIELD k GET "i 8" 0',
    'BITFIELD k GET i-8 0',
    'BITFIELD k GET "" 0',
    ['BITFIELD', 'k', 'GET', Buffer.from('u8\0zz'), '0'],
    'BITFIELD k GET u8 -1',
    'BITFIELD k GET u8 abc',
    'BITFIELD k GET u8 #-1',
    'BITFIELD k GET u8 ##1',
    'BITFIELD k GET u8 #',
    'BITFIELD k GET u8 #abc',
    'BITFIELD k GET u8 4294967296',
    'BITFIELD k GET u8 4294967295',
    'BITFIELD k GET u8 #536870911',
    'BITFIELD k GET u8 #536870912',
    'BITFIELD k GET i64 #288230376151711745',
    'BITFIELD k GET i8 #1152921504606846976',
    'BITFIELD k SET u8 0',
    'BITFIELD k SET u8 0 abc',
    'BITFIELD k SET u8 0 1.5',
    'BITFIELD k SET u8 0 9223372036854775808',
    'BITFIELD k INCRBY u8 0',
    'BITFIELD k INCRBY u8 0 x',
    'BITFIELD k GET u8',
    'BITFIELD k GET',
    'BITFIELD k FOO u8 0',
    'BITFIELD k OVERFLOW',
    'BITFIELD k OVERFLOW foo GET u8 0',
    'BITFIELD k OVERFLOW wrap',
    'BITFIELD k GET u8 0 OVERFLOW foo',
    'BITFIELD k GET u8 0 GET u8 abc',
    'BITFIELD k SET u8 0 7 GET u8 abc',
    'GET k',
    'BITFIELD k GET u8 0 bogus',
    'BITFIELD k SET u8 #0 1 GET u8 0 SET',
    'GET k',
    'BITFIELD',
  ],
  'BITFIELD overflow: WRAP SAT FAIL, signed and unsigned': [
    'BITFIELD k SET u8 0 255 INCRBY u8 0 1 GET u8 0',
    'BITFIELD k OVERFLOW SAT SET u8 0 250 INCRBY u8 0 10 INCRBY u8 0 -300 INCRBY u8 0 -1',
    'BITFIELD k OVERFLOW FAIL SET u8 0 250 INCRBY u8 0 10 GET u8 0 INCRBY u8 0 5 INCRBY u8 0 -256',
    'BITFIELD k OVERFLOW WRAP SET u8 0 300 GET u8 0 SET u8 0 -1 GET u8 0',
    'BITFIELD k OVERFLOW SAT SET u8 0 300 GET u8 0 SET u8 0 -1 GET u8 0',
    'BITFIELD k OVERFLOW FAIL SET u8 0 300 GET u8 0 SET u8 0 -1 GET u8 0',
    'BITFIELD k SET i8 0 127 INCRBY i8 0 1 INCRBY i8 0 -1 INCRBY i8 0 -300',
    'BITFIELD k OVERFLOW SAT SET i8 0 127 INCRBY i8 0 1 INCRBY i8 0 -300 INCRBY i8 0 255 SET i8 0 -129 SET i8 0 200',
    'BITFIELD k OVERFLOW FAIL SET i8 0 127 INCRBY i8 0 1 INCRBY i8 0 -1 SET i8 0 128 SET i8 0 -128 SET i8 0 -129',
    'BITFIELD k OVERFLOW WRAP SET i5 3 15 INCRBY i5 3 1 INCRBY i5 3 -40 SET i5 3 100',
    'BITFIELD k OVERFLOW WRAP SET u1 0 3 INCRBY u1 0 1 INCRBY u1 0 -3',
    'BITFIELD k OVERFLOW SAT SET i1 0 3 INCRBY i1 0 -3 INCRBY i1 0 1',
    'BITFIELD k SET i64 0 9223372036854775807 INCRBY i64 0 1 INCRBY i64 0 -1 INCRBY i64 0 -9223372036854775808',
    'BITFIELD k OVERFLOW SAT SET i64 0 9223372036854775807 INCRBY i64 0 1 SET i64 0 -9223372036854775808 INCRBY i64 0 -1 INCRBY i64 0 9223372036854775807 INCRBY i64 0 9223372036854775807',
    'BITFIELD k OVERFLOW FAIL SET i64 0 -9223372036854775808 INCRBY i64 0 -1 INCRBY i64 0 9223372036854775807 INCRBY i64 0 1 GET i64 0',
    'BITFIELD k OVERFLOW WRAP SET u63 0 9223372036854775807 INCRBY u63 0 1 INCRBY u63 0 -1 INCRBY u63 0 9223372036854775807',
    'BITFIELD k OVERFLOW SAT SET u63 0 -1 INCRBY u63 0 1 INCRBY u63 0 -9223372036854775808 SET u63 0 5 INCRBY u63 0 -6',
    'BITFIELD k OVERFLOW FAIL SET u63 0 -1 SET u63 0 9223372036854775807 INCRBY u63 0 1 INCRBY u63 0 -9223372036854775807 INCRBY u63 0 -1',
    'BITFIELD k OVERFLOW FAIL SET u8 64 1 OVERFLOW SAT INCRBY u8 64 1000 OVERFLOW WRAP INCRBY u8 64 1000',
    'GET k',
    'BITFIELD new OVERFLOW FAIL SET u2 0 7',
    'GET new',
    'BITFIELD new2 OVERFLOW FAIL INCRBY u2 100 7',
    'GET new2',
  ],
  'BITFIELD_RO': [
    'SET k hello',
    'BITFIELD_RO k GET u8 0 GET i8 8 GET u16 #1',
    'BITFIELD_RO k',
    'BITFIELD_RO nokey GET u8 0',
    'EXISTS nokey',
    'BITFIELD_RO k SET u8 0 1',
    'BITFIELD_RO k INCRBY u8 0 1',
    'BITFIELD_RO k GET u8 0 SET u8 0 1',
    'BITFIELD_RO k SET u8 0 abc',
    'BITFIELD_RO k SET u99 0 1',
    'BITFIELD_RO k OVERFLOW FAIL GET u8 0',
    'BITFIELD_RO k OVERFLOW bad GET u8 0',
    'BITFIELD_RO k GET u8',
    'BITFIELD_RO k FOO',
    'GET k',
    'RPUSH l a',
    'BITFIELD_RO l GET u8 0',
    'BITFIELD_RO l SET u8 0 1',
    'BITFIELD l GET u8 0',
    'BITFIELD l SET u8 0 1',
    'BITFIELD l SET u8 abc 1',
    'bitfield_ro k get u8 0',
    'BITFIELD_RO',
  ],
  'large bitmaps (word-at-a-time paths)': [
    'SETBIT big 800000 1',
    'STRLEN big',
    'BITCOUNT big',
    'BITPOS big 1',
    'BITPOS big 1 5 -1',
    'BITPOS big 0',
    'BITPOS big 1 99999 -1',
    'BITPOS big 1 799990 800100 BIT',
    'BITCOUNT big 799999 800001 BIT',
    ['SET', 'ones', Buffer.alloc(100003, 0xff)],
    'BITPOS ones 0',
    'BITPOS ones 0 7 -1',
    'BITPOS ones 0 -9 -1',
    'BITPOS ones 0 5 800000 BIT',
    'BITPOS ones 1 77777 BIT',
    'BITCOUNT ones',
    'BITCOUNT ones 13 -13',
    'BITCOUNT ones 13 799999 BIT',
    'SETBIT ones 654321 0',
    'BITPOS ones 0',
    'BITPOS ones 0 81790',
    'BITOP XOR x big ones',
    'BITCOUNT x',
    'BITPOS x 1',
    'BITOP AND y big ones nokey',
    'STRLEN y',
    'BITPOS y 1',
    'BITFIELD ones GET u63 654300 GET i64 654290 INCRBY u63 654300 1 GET u63 654300',
  ],
  'bitmaps through generic key commands': [
    'SETBIT b 10 1',
    'TYPE b',
    'OBJECT ENCODING b',
    'COPY b b2',
    'GET b2',
    'OBJECT ENCODING b2',
    'RENAME b b3',
    'GETBIT b3 10',
    'EXISTS b',
    'MOVE b3 1',
    'SELECT 1',
    'GETBIT b3 10',
    'SETBIT b3 11 1',
    'GET b3',
    'SELECT 0',
    'EXPIRE b2 100',
    'SETBIT b2 1000 1',
    'ttl: TTL b2',
    'scanall: TYPE string',
    'DEL b2',
    'sort: KEYS *',
    'DBSIZE',
  ],
  'case-insensitive names and arity': [
    'setbit k 1 1',
    'GetBit k 1',
    'bitcount k',
    'BiTpOs k 1',
    'bitop or d k',
    'bitfield k get u8 0',
    'BITFIELD_ro k get u8 0',
    'SETBIT k 1',
    'GETBIT k',
    'BITCOUNT',
    'BITPOS k',
    'BITOP OR d',
    'BITFIELD',
    'BITFIELD_RO',
  ],
  'COMMAND INFO and GETKEYS for bitmap commands': [
    'COMMAND INFO setbit getbit bitcount bitpos bitop bitfield bitfield_ro',
    'COMMAND GETKEYS BITOP AND d a b c',
    'COMMAND GETKEYS BITFIELD k GET u8 0',
    'COMMAND GETKEYS BITFIELD_RO k GET u8 0',
    'COMMAND GETKEYS SETBIT k 0 1',
  ],
};

// ─── seeded random sequences ─────────────────────────────────────────────────────────────────

const KEYS = ['b1', 'b2', 'b3', 'b4'];

/** Random bitmap commands over a few keys, mostly valid; GET after every write. */
function randomSteps(seed: number, n: number): StepInput[] {
  const g = new Prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[g.int(xs.length)]!;
  const int = (lo: number, hi: number) => g.range(lo, hi);
  const key = () => pick(KEYS);
  const offset = (): string => {
    const r = g.next();
    if (r < 0.7) return String(int(0, 200));
    if (r < 0.9) return String(int(0, 3000));
    if (r < 0.95) return String(int(0, 70000));
    return pick(['-1', 'x', '4294967296', '01']);
  };
  const index = (): string => {
    const r = g.next();
    if (r < 0.6) return String(int(-40, 40));
    if (r < 0.9) return String(int(-400, 400));
    return pick(['-9223372036854775808', '9223372036854775807', '0', '-1', 'x']);
  };
  const bfType = (): string => {
    const r = g.next();
    if (r < 0.45) return `u${int(1, 63)}`;
    if (r < 0.9) return `i${int(1, 64)}`;
    return pick(['u8', 'i8', 'u63', 'i64', 'u64', 'i0', 'x8']);
  };
  const bfOffset = (): string => (g.next() < 0.2 ? `#${int(0, 20)}` : String(int(0, 300)));
  const bfValue = (): string => {
    const r = g.next();
    if (r < 0.5) return String(int(-300, 300));
    if (r < 0.8) return String(Math.floor((g.next() - 0.5) * 2 ** 53));
    return pick(['9223372036854775807', '-9223372036854775808', '1', '-1', '0', 'x']);
  };
  const steps: StepInput[] = [];
  for (let i = 0; i < n; i++) {
    const k = key();
    const r = g.next();
    let write = false;
    if (r < 0.2) {
      steps.push(['SETBIT', k, offset(), pick(['0', '1', '1', '0', '2'])]);
      write = true;
    } else if (r < 0.27) {
      steps.push(['GETBIT', k, offset()]);
    } else if (r < 0.37) {
      const a: Arg[] = ['BITCOUNT', k];
      if (g.next() < 0.8) {
        a.push(index(), index());
        if (g.next() < 0.6) a.push(pick(['BIT', 'BYTE', 'bit', 'byte']));
      }
      steps.push(a);
    } else if (r < 0.5) {
      const a: Arg[] = ['BITPOS', k, pick(['0', '1'])];
      const m = g.int(4);
      if (m >= 1) a.push(index());
      if (m >= 2) a.push(index());
      if (m >= 3) a.push(pick(['BIT', 'BYTE']));
      steps.push(a);
    } else if (r < 0.6) {
      const op = pick(['AND', 'OR', 'XOR', 'NOT']);
      const srcs = op === 'NOT' ? [key()] : Array.from({ length: int(1, 4) }, () => pick([...KEYS, 'none']));
      steps.push(['BITOP', op, k, ...srcs]);
      write = true;
    } else if (r < 0.9) {
      const a: Arg[] = [g.next() < 0.15 ? 'BITFIELD_RO' : 'BITFIELD', k];
      for (let j = int(1, 5); j > 0; j--) {
        const o = g.next();
        if (o < 0.15) a.push('OVERFLOW', pick(['WRAP', 'SAT', 'FAIL']));
        else if (o < 0.45) a.push('GET', bfType(), bfOffset());
        else if (o < 0.75) a.push('SET', bfType(), bfOffset(), bfValue());
        else a.push('INCRBY', bfType(), bfOffset(), bfValue());
      }
      steps.push(a);
      write = true;
    } else if (r < 0.94) {
      steps.push(['SET', k, pick(['', 'abc', '123', '\xff\x00\x80', 'hello world', '0'])]);
      write = true;
    } else if (r < 0.96) {
      steps.push(['APPEND', k, pick(['x', '\x00\x00', 'abc'])]);
      write = true;
    } else if (r < 0.97) {
      steps.push(['DEL', k]);
    } else if (r < 0.98) {
      steps.push(['RPUSH', k, 'x']);
    } else {
      steps.push(['OBJECT', 'ENCODING', k]);
    }
    if (write) steps.push(['GET', k]);
  }
  steps.push(['DEL', ...KEYS]);
  return steps;
}

function randomCases(env: DiffEnv): void {
  for (const [seed, resp] of [[101, 2], [202, 3], [303, 2], [404, 3]] as const) {
    it(`random bitmap sequence (seed ${seed}, RESP${resp})`, async (ctx) => {
      if (await skipUnlessImplemented(env, ['SETBIT', 'BITFIELD', 'BITPOS', 'BITOP'], `random ${seed}`, ctx)) return;
      const p = await env.pair(resp);
      try {
        await p.run(randomSteps(seed, 1500));
      } finally {
        await p.close();
      }
      p.assertOk();
    });
  }
}

describeDiff('differential: bitmaps', () => {
  const env = useDiffEnv();
  diffCases(env, cases);
  randomCases(env);
});
