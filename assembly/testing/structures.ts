// Test-only entry: the engine plus the collection structures' functions as exports, so
// test/engine/structures.test.ts can drive them directly against a model. Not part of the
// shipped build (asconfig.json's entry is assembly/index.ts).
export * from "../index";
export * from "../ds/dict";
export * from "../ds/listpack";
