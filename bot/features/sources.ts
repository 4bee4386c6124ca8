import { Composer, InlineKeyboard } from 'grammy';
import { can, type FormSource } from '../../core/index.js';
import { sourceAddData, sourceDisableData } from '../callback-data/misc.js';
import type { ActiveContext } from '../context.js';
import { ADD_SOURCE_CONVERSATION } from '../conversations/add-source.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml, truncate } from '../html.js';
import { editTapped, sendView } from '../lead-cards.js';
import type { Texts } from '../texts/index.js';
import type { View } from '../views/lead-card.view.js';

function renderSources(t: Texts, sources: FormSource[], notice?: string): View {
  const lines = sources.map((s) => t.sources.line(s.id, escapeHtml(s.name), t.providers[s.provider], s.is_active));
  const keyboard = new InlineKeyboard();
  for (const s of sources.filter((x) => x.is_active)) {
    keyboard.text(t.sources.disable(truncate(s.name, 40)), sourceDisableData.pack({ sourceId: s.id })).row();
  }
  keyboard.text(t.sources.add, sourceAddData.pack({}));
  const body = [t.sources.title, '', ...(lines.length ? lines : [t.sources.empty])].join('\n');
  return { text: notice ? `${notice}\n\n${body}` : body, keyboard };
}

/** /sources (§11, admins only): list form webhooks, add one, disable one. */
export function sourcesFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();
  // Everything below is for admins; others get one clear refusal (core refuses them too).
  const admins = composer.filter((ctx) => can(ctx.user, 'sources.manage'));
  const isSourcesUpdate = (ctx: ActiveContext) =>
    ctx.hasCommand('sources') || ctx.hasCallbackQuery([sourceAddData.filter, sourceDisableData.filter]);
  composer.filter((ctx) => !can(ctx.user, 'sources.manage') && isSourcesUpdate(ctx), async (ctx) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.access.adminsOnly, show_alert: true });
    else await ctx.reply(ctx.t.access.adminsOnly);
  });

  admins.command('sources', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, renderSources(ctx.t, await core.formSources.list(ctx.user)));
  });

  admins.callbackQuery(sourceAddData.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(ADD_SOURCE_CONVERSATION);
  });

  admins.callbackQuery(sourceDisableData.filter, async (ctx) => {
    const data = sourceDisableData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    const source = await core.formSources.disable(ctx.user, data.sourceId);
    ctx.log.info({ form_source_id: source.id }, 'form_source_disabled');
    const notice = ctx.t.sources.disabled(escapeHtml(source.name));
    await editTapped(ctx, renderSources(ctx.t, await core.formSources.list(ctx.user), notice));
  });

  return composer;
}
