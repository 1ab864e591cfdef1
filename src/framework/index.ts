/**
 * wasmdis/framework: build your own RESP server in TypeScript — redcon's `listen(addr, handler)`
 * with `Conn` and `Command`, RedHub's `onOpen` / `onClose` / `handler → Action`, and free RESP
 * encoders; multicore serving with load balancing, Tile38's native protocol and a PubSub helper.
 * Nothing here depends on the wasmdis server.
 */
export { listen, RedHub, Action, reusePortSupported, type Address, type ListenOptions, type FrameworkServer, type Handler, type AcceptHandler, type ClosedHandler, type RedHubHandlers } from './server.js';
export { Conn, type CommandInterceptor } from './conn.js';
export { Command, type CommandKind } from './command.js';
export { type BalancePolicy, type WorkerInfo, isFrameworkWorker, sourceHash } from './multicore.js';
export { READ_BUFFER_CAP_ERROR } from './session.js';
export { PubSub } from './pubsub.js';
export { type ShimName, type ShimOptions } from './shims.js';
export {
  appendString, appendOK, appendError, appendBulk, appendBulkString, appendInt, appendArray, appendNull,
  appendMap, appendSet, appendPush, appendDouble, appendBool, appendAny, appendTile38,
} from './encoders.js';
export { ReplyWriter } from '../resp/reply-writer.js';
