/**
 * Wake-ups from other threads: a word of a worker region that another engine instance changes
 * from 0 and then notifies (atomic.notify) — replies for blocked clients (blocked.ts), Pub/Sub
 * messages (pubsub-delivery.ts). A private memory has no other threads: nothing to watch.
 */

/** Atomics.waitAsync (Node 16+; not in this TypeScript lib's typings). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** Watches one region word and calls `onWake` whenever it has been set. */
export class RegionWord {
  private watching = false;

  /**
   * @param active while false, stop watching (call watch() again once it may be true)
   * @param onWake takes what was delivered (and sets the word back to 0)
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly byteOffset: number,
    private readonly shared: boolean,
    private readonly active: () => boolean,
    private readonly onWake: () => void,
  ) {}

  /** Wait (asynchronously) for the next delivery, unless already waiting or not active. */
  watch(): void {
    if (!this.shared || this.watching || !this.active()) return;
    const r = waitAsync(new Int32Array(this.memory.buffer), this.byteOffset >>> 2, 0);
    if (!r.async) {
      // already set: take it now and wait again on the next turn of the event loop (not a
      // microtask: a thread that keeps delivering must not starve this one's sockets)
      this.onWake();
      setImmediate(() => this.watch());
      return;
    }
    this.watching = true;
    void r.value.then(() => {
      this.watching = false;
      this.onWake();
      this.watch();
    });
  }
}
