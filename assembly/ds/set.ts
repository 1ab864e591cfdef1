// The set value. A set whose members are all integers (as Redis's string2ll reads them: no
// leading zeros, no '+', no spaces, not "-0") and which has at most set-max-intset-entries
// members is an intset (OBJECT ENCODING "intset", members in ascending order); any other set is
// a dict of members with empty values ("hashtable"). Conversion is one way, as in Redis 7.0
// (which has no listpack sets).
//
// Owns: the choice of form, the conversion and member iteration. Callers hold the keyspace lock.
// Functions take a set entry `e`: a keyspace entry of type T_SET (or one made with entryNew and
// not yet inserted, for results being built); its value word holds the intset or dict pointer
// and its encoding byte (E_ENC) says which.
//
//  Entry value word ──▶ intset [width u32 · length u32 · sorted values]   encoding SET_INTSET
//                   └─▶ dict   {member bytes → (no value)}                encoding SET_DICT
//
// Intset members have no bytes of their own: iteration and random picks format them into the
// caller's scratch buffer (setMemberBuf) and report them through memberPtr/memberLen.

import { E_ENC, entryVal } from "../keyspace";
import {
  dictNew, dictFree, dictCopy, dictSize, dictFind, dictAdd, dictDelete, dictExpand, dictBytes,
  dictFirst, dictNext, dictRandom, dictDeleteNode, nodeKey, nodeKeyLen,
} from "./dict";
import {
  intsetNew, intsetFree, intsetCopy, intsetLen, intsetGet, intsetFind, intsetAdd, intsetRemove,
  intsetBytes, intsetRandomIndex, intsetRemoveAt,
} from "./intset";
import { parseI64, parsedI64, formatI64 } from "../util/number";
import { configSetMaxIntsetEntries } from "../config";
import { scratch } from "../commands/args";

export const SET_INTSET: u8 = 0;
export const SET_DICT: u8 = 1;

/** Where intset members are formatted for iteration (the first bytes of the worker's scratch). */
// @ts-ignore: decorator
@inline function memberBuf(): usize { return scratch; }
/** Where a conversion formats members (clear of memberBuf, so a member being added survives). */
// @ts-ignore: decorator
@inline function convertBuf(): usize { return scratch + 32; }
/** Scratch bytes this module uses (memberBuf and convertBuf); callers must keep clear of them. */
export const SET_SCRATCH_USED: usize = 64;

/** Encoding of set entry e: SET_INTSET or SET_DICT. */
// @ts-ignore: decorator
@inline export function setEnc(e: usize): u8 { return load<u8>(e + E_ENC); }
/** The intset or dict of set entry e. */
// @ts-ignore: decorator
@inline export function setObj(e: usize): usize { return <usize>load<u32>(entryVal(e)); }

/** Free a set structure (keyspace valueFree). */
export function setObjFree(obj: usize, enc: u8): void {
  if (enc == SET_DICT) dictFree(obj); else intsetFree(obj);
}

/** Deep copy of a set structure (COPY); 0 when memory is exhausted. */
export function setObjCopy(obj: usize, enc: u8): usize {
  return enc == SET_DICT ? dictCopy(obj) : intsetCopy(obj);
}

/** Bytes held by a set structure. */
export function setObjBytes(obj: usize, enc: u8): usize {
  return enc == SET_DICT ? dictBytes(obj) : intsetBytes(obj);
}

/**
 * A new empty structure for a set whose first member is [p, n) (Redis's setTypeCreate: an
 * intset when that member is an integer); sets `newSetEnc`. 0 when memory is exhausted.
 */
export let newSetEnc: u8 = SET_INTSET;
export function setObjNewFor(p: usize, n: usize): usize {
  if (parseI64(p, n)) { newSetEnc = SET_INTSET; return intsetNew(); }
  newSetEnc = SET_DICT;
  return dictNew();
}

/** Number of members. */
export function setSize(e: usize): u32 {
  const o = setObj(e);
  return setEnc(e) == SET_DICT ? dictSize(o) : intsetLen(o);
}

/** Is [p, n) a member? */
export function setIsMember(e: usize, p: usize, n: usize): bool {
  const o = setObj(e);
  if (setEnc(e) == SET_DICT) return dictFind(o, p, n) != 0;
  return parseI64(p, n) && intsetFind(o, parsedI64);
}

/** Turn an intset into a dict; false when memory is exhausted (the set is unchanged). */
export function setConvert(e: usize): bool {
  if (setEnc(e) == SET_DICT) return true;
  const s = setObj(e);
  const d = dictNew();
  if (d == 0) return false;
  const len = intsetLen(s);
  if (!dictExpand(d, len)) { dictFree(d); return false; }
  const buf = convertBuf();
  for (let i: u32 = 0; i < len; i++) {
    const n = formatI64(buf, intsetGet(s, i));
    if (dictAdd(d, buf, n, 0, 0) == 0) { dictFree(d); return false; }
  }
  intsetFree(s);
  store<u32>(entryVal(e), <u32>d);
  store<u8>(e + E_ENC, SET_DICT);
  return true;
}

/**
 * Add member [p, n), converting to a dict when it is not an integer or the intset outgrows
 * set-max-intset-entries. Returns 1 when added, 0 when already a member, -1 when memory is
 * exhausted (nothing changed, though the set may have been converted).
 */
export function setAdd(e: usize, p: usize, n: usize): i32 {
  const slot = entryVal(e);
  if (setEnc(e) == SET_INTSET) {
    if (parseI64(p, n)) {
      const r = intsetAdd(slot, parsedI64);
      if (r == 1) {
        let max = configSetMaxIntsetEntries();
        if (max > 1 << 30) max = 1 << 30;
        // if memory runs out here the intset stays, one over the limit, and converts later
        if (intsetLen(setObj(e)) > max) setConvert(e);
      }
      return r;
    }
    if (!setConvert(e)) return -1;
  }
  const d = setObj(e);
  if (dictFind(d, p, n) != 0) return 0;
  return dictAdd(d, p, n, 0, 0) == 0 ? -1 : 1;
}

/** Remove member [p, n); true if it was there. The caller deletes the key when it empties. */
export function setRemove(e: usize, p: usize, n: usize): bool {
  if (setEnc(e) == SET_DICT) return dictDelete(setObj(e), p, n);
  return parseI64(p, n) && intsetRemove(entryVal(e), parsedI64);
}

// ─── iteration ──────────────────────────────────────────────────────────────────────────────
// A position is an intset index + 1 or a dict node; 0 is the end. No adds or removes while
// iterating.

/** Bytes of the member last produced by setMember. */
export let memberPtr: usize = 0;
export let memberLen: usize = 0;

/** First position, 0 when the set is empty. */
export function setFirst(e: usize): usize {
  const o = setObj(e);
  if (setEnc(e) == SET_DICT) return dictFirst(o);
  return intsetLen(o) == 0 ? 0 : 1;
}

/** Position after `it`, or 0. */
export function setNext(e: usize, it: usize): usize {
  const o = setObj(e);
  if (setEnc(e) == SET_DICT) return dictNext(o, it);
  return it < <usize>intsetLen(o) ? it + 1 : 0;
}

/** Make memberPtr/memberLen the member at position `it` (intset members are formatted). */
export function setMember(e: usize, it: usize): void {
  if (setEnc(e) == SET_DICT) { memberPtr = nodeKey(it); memberLen = nodeKeyLen(it); return; }
  memberPtr = memberBuf();
  memberLen = formatI64(memberPtr, intsetGet(setObj(e), <u32>(it - 1)));
}

/** Position of a random member (the set must not be empty). */
export function setRandom(e: usize): usize {
  const o = setObj(e);
  if (setEnc(e) == SET_DICT) return dictRandom(o);
  return <usize>intsetRandomIndex(o) + 1;
}

/** Remove the member at position `it` (after replying with it: its bytes go away). */
export function setRemoveAt(e: usize, it: usize): void {
  if (setEnc(e) == SET_DICT) dictDeleteNode(setObj(e), it);
  else intsetRemoveAt(entryVal(e), <u32>(it - 1));
}
