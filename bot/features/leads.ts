import { randomBytes } from 'node:crypto';
import { Composer } from 'grammy';
import { listLeadsForUser } from '../../core/leads/lead.repository.js';
import type { KeyValueStore } from '../../core/store/kv-store.js';
import { leadsPageData } from '../callback-data/misc.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, sendView } from '../lead-cards.js';
import { renderLeadList } from '../views/lead-list.view.js';

const PAGE_SIZE = 8;
const PAGE_TTL_MS = 24 * 60 * 60 * 1000;
const PREFIX = 'bot:leads-page:';

/**
 * A page of /leads as the buttons remember it. Keyset cursors only go
 * forward and may outgrow the 64 bytes of callback data, so each page's
 * cursor and the key of the page before it live in the store (shared by
 * instances) under a short random key.
 */
interface PageState { userId: number; page: number; cursor: string | null; prevKey: string | null }

async function savePage(store: KeyValueStore, state: PageState): Promise<string> {
  const key = randomBytes(6).toString('base64url');
  await store.set(PREFIX + key, JSON.stringify(state), PAGE_TTL_MS);
  return key;
}

async function loadPage(store: KeyValueStore, key: string): Promise<PageState | null> {
  const raw = await store.get(PREFIX + key);
  return raw === null ? null : (JSON.parse(raw) as PageState);
}

/** /leads (§6): my open leads (all open leads for managers), newest first, ◀ ▶ pages. */
export function leadsFeature({ db, store }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  // `ownKey` is the stored key of this page, when it has one (page 1 gets one only if a page 2 exists).
  async function render(ctx: ActiveContext, state: PageState, ownKey: string | null) {
    // listLeadsForUser applies the rights: an agent only ever gets their own leads.
    const result = await listLeadsForUser(db, ctx.user, { cursor: state.cursor, limit: PAGE_SIZE });
    let nextKey: string | null = null;
    if (result.hasNext && result.nextCursor) {
      const self = ownKey ?? await savePage(store, state);
      nextKey = await savePage(store, { userId: ctx.user.id, page: state.page + 1, cursor: result.nextCursor, prevKey: self });
    }
    return renderLeadList(ctx.t, { page: state.page, items: result.items, prevKey: state.prevKey, nextKey });
  }

  composer.command('leads', async (ctx) => {
    const view = await render(ctx, { userId: ctx.user.id, page: 1, cursor: null, prevKey: null }, null);
    await sendView(ctx.api, ctx.chat.id, view);
  });

  composer.callbackQuery(leadsPageData.filter, async (ctx) => {
    const data = leadsPageData.unpack(ctx.callbackQuery.data);
    const state = data && await loadPage(store, data.key);
    // Expired, unknown, or someone else's page key: never show another user's list.
    if (!data || !state || state.userId !== ctx.user.id) {
      return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton, show_alert: true });
    }
    await ctx.answerCallbackQuery();
    await editTapped(ctx, await render(ctx, state, data.key));
  });

  return composer;
}
