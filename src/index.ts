/**
 * wasmdis: a Redis 7-compatible server and RESP toolkit for Node.js with a WebAssembly core.
 *
 * - {@link startServer}: a TCP server that redis-cli, ioredis and node-redis use unchanged.
 * - {@link Engine}: the same engine in-process, no socket; real clients reach it through
 *   in-process streams ({@link Engine.connect}, {@link Engine.ioredisOptions}, {@link Engine.nodeRedisOptions}).
 * - {@link RespRequestParser}, {@link ReplyWriter}, {@link decodeReply}: the JavaScript RESP layer.
 */
export { Engine, encodeCommand, type EngineOptions } from './engine/engine.js';
export { EngineSocket, ioredisConnector, nodeRedisSocketOptions, type ConnectionSource, type IoredisConnector } from './engine/duplex.js';
export { startServer, type ServerOptions, type ServerHandle } from './server/server.js';
export type {
  CustomCommandSpec, CustomCommandTable, CustomCommandContext, CustomCommandHandler, CustomCommandFlag, CallArg,
} from './commands/custom.js';
export { RespRequestParser } from './resp/request-parser.js';
export { WasmRequestParser } from './engine/wasm-parser.js';
export { ReplyWriter } from './resp/reply-writer.js';
export { decodeReply, replyLength } from './resp/reply-decoder.js';
export { ProtocolError, ReplyError } from './resp/errors.js';
