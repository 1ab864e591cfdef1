/**
 * wasmdis/framework: build your own RESP server in TypeScript — redcon's `listen(addr, handler)`
 * with `Conn` and `Command`, RedHub's `onOpen` / `onClose` / `handler → Action`, and free RESP
 * encoders. Nothing here depends on the wasmdis server.
 */
export { listen, RedHub, Action, type Address, type ListenOptions, type FrameworkServer, type Handler, type AcceptHandler, type ClosedHandler, type RedHubHandlers } from './server.js';
export { Conn } from './conn.js';
export { Command } from './command.js';
export { type ShimName, type ShimOptions } from './shims.js';
export {
  appendString, appendOK, appendError, appendBulk, appendBulkString, appendInt, appendArray, appendNull,
  appendMap, appendSet, appendPush, appendDouble, appendBool, appendAny,
} from './encoders.js';
export { ReplyWriter } from '../resp/reply-writer.js';
