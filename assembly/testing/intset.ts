// Test-only entry: the engine plus the intset's functions as exports, so
// test/engine/intset.test.ts can drive them directly against a model. Not part of the shipped
// build (asconfig.json's entry is assembly/index.ts).
export * from "../index";
export * from "../ds/intset";
