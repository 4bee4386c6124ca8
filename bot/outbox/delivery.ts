import { randomUUID } from 'node:crypto';
import { GrammyError, type Api } from 'grammy';
import {
  CHAT_OUTBOX_KINDS, CUSTOMER_OUTBOX_KINDS, DEAL_MESSAGE_KINDS, LEAD_MESSAGE_KINDS, type Core, type Notification,
} from '../../core/index.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import { messageOptions } from '../lead-cards.js';
import { createPacer, type Pacer } from './pacer.js';
import { plainView } from './plain-view.js';
import {
  renderCustomerOutbox, renderOutboxMessage, renderTeamChatOutbox, UndeliverableError, type OutboxView,
} from './render.js';
import { sendMedia } from './send-media.js';
import { classifyFailure, describeFailure } from './telegram-failure.js';

export interface OutboxDeliveryDeps {
  core: Core;
  /** A Bot API client of its own, without auto-retry: delivery decides about retries itself. */
  api: Api;
  logger: Logger;
  /** How often to look for due messages when nothing wakes delivery (the safety net). */
  pollMs: number;
  /** Messages in flight at once, each to a different chat. Default 30 (Telegram's rate a second). */
  concurrency?: number;
  /** How long a claimed row is ours, ms; renewed while its send is in progress. Default 15 s. */
  leaseMs?: number;
  /**
   * While Telegram is away: the wait before the first probe, doubled after each failed
   * one up to maxMs. Default 1 s to 30 s; tests shorten it to fit many failed probes in seconds.
   */
  backoff?: { minMs: number; maxMs: number };
  pacer?: Pacer;
  metrics?: Pick<Metrics, 'notifications'>;
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'released';
export interface DeliveryResult { id: number; kind: Notification['kind']; outcome: DeliveryOutcome; error?: string }

export interface OutboxDelivery {
  /** One pass: claim due rows, deliver them, wait for every outcome (tests, benchmarks). */
  runOnce(): Promise<DeliveryResult[]>;
  /** Delivers continuously: on wake(), when a send frees a slot, when a retry falls due, and every pollMs. */
  start(): void;
  /**
   * Stops claiming; waits for sends in progress (their outcome is recorded)
   * and hands back claimed rows whose send had not started, so another
   * instance takes them at once. Nothing is lost and nothing sent twice.
   */
  stop(): Promise<void>;
  /** Look for due messages now (a commit queued some). */
  wake(): void;
  /** For /health: whether Telegram answered the last send, and what is in flight. */
  state(): { telegram: 'ok' | 'unreachable'; inFlight: number };
}

const DEFAULT_BACKOFF = { minMs: 1_000, maxMs: 30_000 };

/**
 * Delivers the transactional outbox to Telegram (house style rule 20).
 * Several chats at once, paced to Telegram's limits (pacer.ts); each chat's
 * messages one at a time and in order (the claim takes one row per chat).
 * A Telegram that is away (network, 5xx) is waited for with a backoff of
 * 1 s to 30 s, probing with one message, and the message is kept until
 * OUTBOX_MAX_AGE_HOURS; a 429 holds back only its chat, for retry_after;
 * a text Telegram refuses is sent once more as plain text; 400/403 and a
 * lead or recipient gone fail at once and show up for admins (/outbox).
 * Claims hold a short lease that is renewed while a send is in progress, so a
 * dead instance's rows are picked up within seconds and a slow Telegram
 * never makes two instances send one message.
 */
export function createOutboxDelivery(deps: OutboxDeliveryDeps): OutboxDelivery {
  const { core, api, metrics } = deps;
  const log = deps.logger.child({ component: 'outbox_delivery' });
  const concurrency = deps.concurrency ?? 30;
  const leaseMs = deps.leaseMs ?? 15_000;
  const pacer = deps.pacer ?? createPacer();
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  // One token per process run: rows this instance holds.
  const token = randomUUID();
  const held = new Map<number, Notification>();
  const running = new Set<Promise<DeliveryResult>>();
  let stopping = new AbortController();
  let started = false;
  let telegramDown = false;
  let backoffMs = backoff.minMs;
  let pausedUntil = 0;
  let claiming: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let renewTimer: NodeJS.Timeout | null = null;

  const count = (kind: string, result: DeliveryOutcome) => metrics?.notifications.inc({ kind, result });

  /**
   * Sends the view — a file by id when it carries one (a reply to a
   * customer, §12), with a reply keyboard instead of the inline one when it
   * has one; `plain` sends it without parse_mode (after Telegram refused the HTML).
   */
  async function send(row: Notification, view: OutboxView, plain = false): Promise<number> {
    const { parse_mode: _html, ...plainOptions } = messageOptions(view);
    const replyMarkup = view.replyMarkup ?? view.keyboard;
    if (view.media) {
      return sendMedia(api, row.chat_id, view.media, view.text, { ...(plain ? {} : { parse_mode: 'HTML' as const }), reply_markup: replyMarkup });
    }
    return (await api.sendMessage(row.chat_id, view.text, { ...(plain ? plainOptions : messageOptions(view)), reply_markup: replyMarkup })).message_id;
  }

  async function render(row: Notification): Promise<OutboxView> {
    const message = core.outbox.messageOf(row);
    if (!message) throw new UndeliverableError(`a ${row.kind} row that no longer fits its message type`);
    if ((CUSTOMER_OUTBOX_KINDS as readonly string[]).includes(message.kind)) return renderCustomerOutbox(core, message);
    if ((CHAT_OUTBOX_KINDS as readonly string[]).includes(message.kind)) return renderTeamChatOutbox(core, message);
    const recipient = await core.outbox.recipientOf(row);
    if (!recipient) throw new UndeliverableError('a chat without a user');
    const needsActive = (LEAD_MESSAGE_KINDS as readonly string[]).includes(message.kind) || message.kind === 'lead_reassigned_away'
      || (DEAL_MESSAGE_KINDS as readonly string[]).includes(message.kind);
    if (needsActive && recipient.status !== 'active') throw new UndeliverableError(`recipient is ${recipient.status}`);
    return renderOutboxMessage(core, message, recipient);
  }

  /** `probe`: claimed while Telegram was known to be away, as the one message that tries it (see telegramAway). */
  async function deliverOne(row: Notification, probe: boolean): Promise<DeliveryResult> {
    const rowLog = log.child({ notification_id: row.id, kind: row.kind, lead_id: row.lead_id, correlation_id: row.correlation_id });
    const base = { id: row.id, kind: row.kind };
    let messageId: number;
    try {
      const view = await render(row);
      await pacer.slot(row.chat_id, stopping.signal);
      try {
        messageId = await send(row, view);
      } catch (err) {
        if (classifyFailure(err).kind !== 'refused_text') throw err;
        rowLog.warn({ error: describeFailure(err) }, 'outbox_text_refused_sending_plain');
        pacer.sent(row.chat_id);
        await pacer.slot(row.chat_id, stopping.signal);
        messageId = await send(row, { ...view, ...plainView(view) }, true);
      } finally {
        pacer.sent(row.chat_id);
      }
    } catch (err) {
      if (stopping.signal.aborted && isAbort(err)) {
        // Never sent: back to the queue for whoever runs next.
        await core.outbox.release({ ids: [row.id], token }).catch((e: unknown) => rowLog.warn({ err: e }, 'outbox_release_failed'));
        return { ...base, outcome: 'released' };
      }
      return recordFailure(row, err, rowLog, probe);
    }
    telegramOk();
    await markSentPersistently(row.id, messageId, rowLog);
    rowLog.info({ attempts: row.attempts }, 'notification_sent');
    count(row.kind, 'sent');
    return { ...base, outcome: 'sent' };
  }

  async function recordFailure(row: Notification, err: unknown, rowLog: Logger, probe: boolean): Promise<DeliveryResult> {
    const failure = classifyFailure(err);
    const error = describeFailure(err);
    let outcome: DeliveryOutcome = 'retry';
    try {
      if (failure.kind === 'permanent' || failure.kind === 'refused_text') {
        await core.outbox.markFailed({ id: row.id, token, error, httpStatus: err instanceof GrammyError ? err.error_code : undefined });
        outcome = 'failed';
      } else {
        if (failure.kind === 'chat_limited') await core.outbox.deferChat({ chatId: row.chat_id, delayMs: failure.retryAfterMs });
        if (failure.kind === 'telegram_down') telegramAway(probe);
        const delayMs = failure.kind === 'chat_limited' ? failure.retryAfterMs
          : failure.kind === 'telegram_down' ? backoffMs
            : Math.min(2_000 * 2 ** Math.max(row.attempts - 1, 0), 60_000);
        // A 429 is Telegram's "not yet, in N s", not a failed delivery: it does not use up a capped row's attempts.
        const status = await core.outbox.reschedule({
          id: row.id, token, error, delayMs, attemptRefunded: failure.kind === 'chat_limited',
        });
        if (status === 'failed') outcome = 'failed';
      }
    } catch (markErr) {
      // Not sent, so nothing is lost: the row is claimed again when its lease runs out.
      rowLog.error({ err: markErr }, 'notification_failure_not_recorded');
    }
    rowLog[outcome === 'failed' ? 'error' : 'warn']({ attempts: row.attempts, error, failure: failure.kind }, 'notification_failed');
    count(row.kind, outcome);
    return { id: row.id, kind: row.kind, outcome, error };
  }

  /** The message is out: from here on, only "sent" may be recorded, however long the database takes to answer. */
  async function markSentPersistently(id: number, messageId: number, rowLog: Logger): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await core.outbox.markSent(id, messageId);
        return;
      } catch (err) {
        if (attempt === 1 || attempt % 10 === 0) rowLog.error({ err, attempt }, 'notification_sent_not_recorded');
        await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2_000)));
      }
    }
  }

  function telegramOk(): void {
    if (telegramDown) log.info('telegram_reachable_again');
    telegramDown = false;
    backoffMs = backoff.minMs;
    pausedUntil = 0;
  }

  /**
   * Only a failed probe doubles the wait. The sends claimed before Telegram
   * was known to be away fail together and tell nothing new: counted one by
   * one, 30 of them took the wait from 1 s to its 30 s maximum at once, so a
   * 5 s outage held every card back for half a minute (bench/outage.bench.ts).
   */
  function telegramAway(probe: boolean): void {
    if (!telegramDown) log.warn('telegram_unreachable_waiting');
    else if (probe) backoffMs = Math.min(backoffMs * 2, backoff.maxMs);
    telegramDown = true;
    pausedUntil = Date.now() + backoffMs;
  }

  function launch(row: Notification): Promise<DeliveryResult> {
    held.set(row.id, row);
    const p = deliverOne(row, telegramDown).finally(() => {
      held.delete(row.id);
      running.delete(p);
      if (started) pump();
    });
    running.add(p);
    return p;
  }

  async function claim(limit: number): Promise<Notification[]> {
    return core.outbox.claim({ limit, leaseMs, token });
  }

  /** Claims as many rows as there are free slots and launches them; a full batch goes straight on to the next. */
  function pump(): void {
    if (!started) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = (async () => {
      do {
        again = false;
        if (Date.now() < pausedUntil) return schedule(pausedUntil - Date.now());
        // While Telegram is away, one message at a time probes it.
        const free = (telegramDown ? 1 : concurrency) - running.size;
        if (free <= 0) return;
        const rows = await claim(free);
        for (const row of rows) launch(row);
        if (rows.length === free) again = true;
        else await scheduleNextDue();
      } while (again && started);
    })().catch((err: unknown) => {
      log.warn({ err }, 'outbox_claim_failed');
      schedule(deps.pollMs);
    }).finally(() => { claiming = null; });
  }

  /** Sleep until the next pending row falls due, or the poll interval, whichever is sooner. */
  async function scheduleNextDue(): Promise<void> {
    const due = await core.outbox.nextDueAt();
    const inMs = due ? due.getTime() - Date.now() : deps.pollMs;
    schedule(Math.max(0, Math.min(inMs, deps.pollMs)));
  }

  function schedule(ms: number): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = null; pump(); }, ms + 5);
  }

  async function runOnce(): Promise<DeliveryResult[]> {
    const rows = await claim(concurrency);
    return Promise.all(rows.map(launch));
  }

  return {
    runOnce,
    start() {
      if (started) return;
      started = true;
      stopping = new AbortController();
      renewTimer = setInterval(() => {
        if (held.size === 0) return;
        core.outbox.renew({ ids: [...held.keys()], token, leaseMs })
          .catch((err: unknown) => log.warn({ err }, 'outbox_lease_not_renewed'));
      }, Math.max(Math.floor(leaseMs / 3), 100));
      pump();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      if (renewTimer) clearInterval(renewTimer);
      timer = null;
      renewTimer = null;
      // Sends waiting for a pacer slot have not started: they are released, not sent.
      stopping.abort();
      await claiming?.catch(() => undefined);
      await Promise.allSettled([...running]);
    },
    wake() {
      pump();
    },
    state: () => ({ telegram: telegramDown ? 'unreachable' : 'ok', inFlight: running.size }),
  };
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}
