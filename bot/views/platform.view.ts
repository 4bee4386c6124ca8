import { InlineKeyboard } from 'grammy';
import type { ApiKeyInfo, DeliveryView, SubscriptionView } from '../../core/index.js';
import {
  apiKeyRevokeData, apiSignOutData, apiTokenData, webhookActiveData, webhookData, webhookPingData, webhookReplayAllData,
  webhookReplayData, webhooksData,
} from '../callback-data/platform.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

/** /api: where the API is, how to sign in, and for admins the API keys with their last use (🚫 revokes one). */
export function renderApi(t: Texts, p: { baseUrl: string; docsUrl: string; keys: ApiKeyInfo[] | null }, notice?: string): View {
  const kb = new InlineKeyboard().text(t.api.newToken, apiTokenData.pack({})).text(t.api.signOut, apiSignOutData.pack({}));
  const parts = [t.api.title(escapeHtml(p.baseUrl), escapeHtml(p.docsUrl)), t.api.howTo];
  if (p.keys) {
    const lines = p.keys.map((k) => (k.revoked_at
      ? t.api.keyRevoked(escapeHtml(k.name), t.time.at(k.revoked_at))
      : t.api.key(escapeHtml(k.name), t.roles[k.role], escapeHtml(k.key_prefix), k.last_used_at ? t.time.agoAt(k.last_used_at) : t.api.never)));
    parts.push(`${t.api.keysTitle}\n${lines.length ? lines.join('\n') : t.api.noKeys}\n${t.api.keyHelp}`);
    const live = p.keys.filter((k) => !k.revoked_at);
    live.forEach((k, i) => {
      if (i % 2 === 0) kb.row();
      kb.text(t.api.revoke(truncate(k.name, 24)), apiKeyRevokeData.pack({ id: k.id }));
    });
  }
  const text = parts.join('\n\n');
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb };
}

function stateOf(t: Texts, s: SubscriptionView): string {
  if (!s.is_active) return s.disabled_reason === 'gone' ? t.webhooks.gone : t.webhooks.off;
  if (s.failed > 0 || (s.last_status !== null && (s.last_status < 200 || s.last_status >= 300)) || (s.last_attempt_at && s.last_status === null)) {
    return t.webhooks.failing(s.last_status !== null ? `HTTP ${s.last_status}` : t.webhooks.noAnswer);
  }
  return t.webhooks.active;
}

/** /webhooks (admins): every subscription, failing ones marked, a button to open each. */
export function renderWebhooks(t: Texts, subs: SubscriptionView[], events: readonly string[], notice?: string): View {
  const kb = new InlineKeyboard();
  const lines = subs.map((s) => t.webhooks.line(s.id, escapeHtml(truncate(s.url, 120)), stateOf(t, s), s.pending, s.failed));
  subs.forEach((s, i) => {
    if (i > 0 && i % 4 === 0) kb.row();
    kb.text(t.webhooks.open(s.id), webhookData.pack({ id: s.id }));
  });
  const text = [t.webhooks.title, lines.length ? lines.join('\n\n') : t.webhooks.empty, t.webhooks.help(events.join(', '))].join('\n\n');
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb };
}

/** One subscription: its state and up to five failed deliveries, each with 🔁; 🔁 all, 📡 ping, ⏸/▶️. */
export function renderWebhook(t: Texts, s: SubscriptionView, failed: DeliveryView[], notice?: string): View {
  const lines = failed.map((d, i) => {
    const last = d.attempt_log.at(-1);
    const status = d.last_status !== null ? `HTTP ${d.last_status}` : t.webhooks.noAnswer;
    const why = escapeHtml(truncate(last?.response_start ?? d.last_error ?? '', 120));
    return t.webhooks.failedLine(i + 1, d.event_type, status, d.attempts, d.failed_at ? t.time.at(d.failed_at) : '—', why);
  });
  const kb = new InlineKeyboard();
  failed.forEach((d, i) => kb.text(t.webhooks.replay(i + 1), webhookReplayData.pack({ id: s.id, delivery: d.id })));
  if (failed.length) kb.row();
  if (s.failed > 0) kb.text(t.webhooks.replayAll(s.failed), webhookReplayAllData.pack({ id: s.id }));
  kb.text(t.webhooks.ping, webhookPingData.pack({ id: s.id }));
  kb.text(s.is_active ? t.webhooks.turnOff : t.webhooks.turnOn, webhookActiveData.pack({ id: s.id, on: s.is_active ? 0 : 1 }));
  kb.row().text(t.webhooks.back, webhooksData.pack({}));
  const text = [
    t.webhooks.detail(s.id, escapeHtml(s.url), s.events.join(', '), stateOf(t, s)),
    failed.length ? `${t.webhooks.failedTitle}\n${lines.join('\n')}` : t.webhooks.noFailed,
  ].join('\n\n');
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb };
}
