/**
 * Readiness polling for harnesses that wait on another process (a server
 * accepting connections, an app answering /health): ask often, give up after
 * a deadline with a message that says what never happened. It waits for a
 * condition, never for a fixed time, so it is as fast as the thing it waits on.
 */

export interface PollOptions {
  /** Named in the timeout error: "timed out after 5000 ms waiting for <what>". */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Checked before every attempt; a reason here fails the wait at once (e.g. the process exited). */
  abortReason?: () => string | undefined;
}

/**
 * Calls `probe` until it returns something other than undefined (a thrown
 * error counts as "not yet") and returns that value. Defaults: 5 s, every 25 ms.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined> | T | undefined, options: PollOptions): Promise<T> {
  const { what, timeoutMs = 5000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = options.abortReason?.();
    if (reason) throw new Error(`gave up waiting for ${what}: ${reason}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
