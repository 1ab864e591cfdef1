// The hash value: field → value. Small hashes are a pack of field, value, field, value …
// (OBJECT ENCODING "listpack", insertion order kept); a hash becomes a dict (OBJECT ENCODING
// "hashtable") once it has more than hash-max-listpack-entries fields or a field or value longer
// than hash-max-listpack-value bytes, and never goes back, as in Redis 7.0.
//
// Owns: the choice of form and the conversion. Callers hold the keyspace lock. Functions take
// the keyspace entry `e` (type T_HASH): its value word holds the pack or dict pointer and its
// encoding byte (E_ENC) says which, so conversions update the entry in place.
//
//  Entry value word ──▶ pack  [used u32 · count u32 · f0 v0 f1 v1 …]     encoding HASH_PACK
//                   └─▶ dict  {field bytes → value bytes}               encoding HASH_DICT

import { E_ENC, entryVal } from "../keyspace";
import {
  dictNew, dictFree, dictCopy, dictSize, dictFind, dictAdd, dictSetVal, dictDelete, dictExpand, dictBytes,
  nodeVal, nodeValLen,
} from "./dict";
import {
  packNew, packFree, packCopy, packCount, packFirst, packNext, packFind, packStr, packLen, packInsert,
  packReplace, packDelete, packAt, packUsed,
} from "./listpack";
import { configHashMaxListpackEntries, configHashMaxListpackValue } from "../config";

export const HASH_PACK: u8 = 0;
export const HASH_DICT: u8 = 1;

/** Encoding of hash entry e: HASH_PACK or HASH_DICT. */
// @ts-ignore: decorator
@inline export function hashEnc(e: usize): u8 { return load<u8>(e + E_ENC); }
/** The pack or dict of hash entry e. */
// @ts-ignore: decorator
@inline export function hashObj(e: usize): usize { return <usize>load<u32>(entryVal(e)); }

/** Free a hash structure (keyspace valueFree). */
export function hashObjFree(obj: usize, enc: u8): void {
  if (enc == HASH_DICT) dictFree(obj); else packFree(obj);
}

/** Deep copy of a hash structure (COPY); 0 when memory is exhausted. */
export function hashObjCopy(obj: usize, enc: u8): usize {
  return enc == HASH_DICT ? dictCopy(obj) : packCopy(obj);
}

/** Bytes held by a hash structure. */
export function hashObjBytes(obj: usize, enc: u8): usize {
  return enc == HASH_DICT ? dictBytes(obj) : <usize>packUsed(obj) + 4;
}

/** A new empty hash structure (a pack); 0 when memory is exhausted. */
export function hashObjNew(): usize { return packNew(); }

/** Number of fields. */
export function hashLen(e: usize): u32 {
  const o = hashObj(e);
  return hashEnc(e) == HASH_DICT ? dictSize(o) : packCount(o) >> 1;
}

/** Value found by hashGet. */
export let hashValPtr: usize = 0;
export let hashValLen: usize = 0;

/** Look up field [f, flen): true (value in hashValPtr/hashValLen) or false. */
export function hashGet(e: usize, f: usize, flen: usize): bool {
  const o = hashObj(e);
  if (hashEnc(e) == HASH_DICT) {
    const n = dictFind(o, f, flen);
    if (n == 0) return false;
    hashValPtr = nodeVal(n);
    hashValLen = nodeValLen(n);
    return true;
  }
  const it = packFind(o, f, flen, 2);
  if (it == 0) return false;
  const v = packNext(o, it);
  hashValPtr = packStr(v);
  hashValLen = packLen(v);
  return true;
}

/** Turn a packed hash into a dict; false when memory is exhausted (the hash is unchanged). */
export function hashConvert(e: usize): bool {
  if (hashEnc(e) == HASH_DICT) return true;
  const p = hashObj(e);
  const d = dictNew();
  if (d == 0) return false;
  if (!dictExpand(d, packCount(p) >> 1)) { dictFree(d); return false; }
  let it = packFirst(p);
  while (it != 0) {
    const v = packNext(p, it);
    if (dictAdd(d, packStr(it), packLen(it), packStr(v), packLen(v)) == 0) { dictFree(d); return false; }
    it = packNext(p, v);
  }
  packFree(p);
  store<u32>(entryVal(e), <u32>d);
  store<u8>(e + E_ENC, HASH_DICT);
  return true;
}

/**
 * Set field [f, flen) to [v, vlen), converting to a dict when the hash outgrows the pack limits
 * (a too long field or value converts first, too many fields after, as Redis 7.0 does).
 * Returns 1 when the field is new, 0 when it was updated, -1 when memory is exhausted (nothing
 * changed).
 */
export function hashSet(e: usize, f: usize, flen: usize, v: usize, vlen: usize): i32 {
  if (hashEnc(e) == HASH_PACK) {
    const max = <usize>configHashMaxListpackValue();
    if ((flen > max || vlen > max) && !hashConvert(e)) return -1;
  }
  const slot = entryVal(e);
  const o = <usize>load<u32>(slot);
  if (hashEnc(e) == HASH_DICT) {
    const n = dictFind(o, f, flen);
    if (n != 0) return dictSetVal(o, n, v, vlen) == 0 ? -1 : 0;
    return dictAdd(o, f, flen, v, vlen) == 0 ? -1 : 1;
  }
  let created: i32 = 0;
  const it = packFind(o, f, flen, 2);
  if (it != 0) {
    if (!packReplace(slot, packNext(o, it), v, vlen)) return -1;
  } else {
    if (!packInsert(slot, 0, f, flen)) return -1;
    if (!packInsert(slot, 0, v, vlen)) {
      const p = <usize>load<u32>(slot);
      packDelete(slot, packAt(p, packCount(p) - 1), 1);
      return -1;
    }
    created = 1;
  }
  // checked after updates too (a lowered limit converts on the next write); if memory runs out
  // here the hash stays packed, one field over the limit, and converts on a later write
  if (hashLen(e) > configHashMaxListpackEntries()) hashConvert(e);
  return created;
}

/** Remove field [f, flen); true if it was there. The caller deletes the key when it empties. */
export function hashDelete(e: usize, f: usize, flen: usize): bool {
  const slot = entryVal(e);
  const o = <usize>load<u32>(slot);
  if (hashEnc(e) == HASH_DICT) return dictDelete(o, f, flen);
  const it = packFind(o, f, flen, 2);
  if (it == 0) return false;
  packDelete(slot, it, 2);
  return true;
}
