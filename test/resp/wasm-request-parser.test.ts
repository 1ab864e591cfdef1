// The shared request-parser cases (whole, byte by byte, every split, random chunkings) run
// against the engine's WASM parser, the one the server uses.
import { runParserSuite } from './request-cases.js';
import { WasmRequestParser } from '../../src/engine/wasm-parser.js';

runParserSuite('WasmRequestParser', (opts) => new WasmRequestParser(opts));
