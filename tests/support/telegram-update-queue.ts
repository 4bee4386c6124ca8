import { EventEmitter } from 'node:events';
import type { Update } from 'grammy/types';

/**
 * The updates Telegram holds for a bot until getUpdates confirms them, with
 * getUpdates' semantics: `offset` confirms (drops) every update below it, at
 * most `limit` come back, and an empty queue is waited on for up to the
 * long-poll timeout — woken at once by a new update.
 */
export class UpdateQueue {
  private readonly pending: Update[] = [];
  private readonly arrivals = new EventEmitter().setMaxListeners(0);
  private lastId = 0;

  get size(): number {
    return this.pending.length;
  }

  /** Queues an update; update_id is assigned when 0 or absent. */
  push(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id || this.lastId + 1 } as Update;
    this.lastId = Math.max(this.lastId, full.update_id);
    this.pending.push(full);
    this.arrivals.emit('update');
    return full;
  }

  /** Resolves every waiting poll now (server shutdown). */
  wakeAll(): void {
    this.arrivals.emit('update');
  }

  /** getUpdates: `cancelled` (e.g. the client's socket closing) ends the wait early. */
  async poll(p: { offset: number; limit: number; waitMs: number }, cancelled: EventEmitter): Promise<Update[]> {
    if (p.offset > 0) {
      const firstKept = this.pending.findIndex((u) => u.update_id >= p.offset);
      this.pending.splice(0, firstKept < 0 ? this.pending.length : firstKept);
    }
    if (this.pending.length === 0 && p.waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.arrivals.off('update', done);
          cancelled.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, p.waitMs);
        this.arrivals.on('update', done);
        cancelled.once('close', done);
      });
    }
    return this.pending.slice(0, p.limit);
  }
}
