// Pub/Sub: channel, shard-channel and pattern subscriptions shared by every engine instance, and
// the delivery of published messages to subscribers on any worker thread.
//
// (Interface placeholder while the registry is being built: publishMessage is the entry point
// keyspace notifications call; it reports 0 receivers until the registry lands.)

/**
 * Publish `msg` on channel `ch` (not a shard channel) to every subscriber of the channel and of
 * every matching pattern. Caller holds the keyspace lock. Returns the number of receivers.
 */
export function publishMessage(ch: usize, chLen: usize, msg: usize, msgLen: usize): i32 {
  return ch == 0 && chLen == 0 && msg == 0 && msgLen == 0 ? 0 : 0;
}
