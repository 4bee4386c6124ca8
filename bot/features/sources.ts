import { Composer, InlineKeyboard } from 'grammy';
import { can, NotFoundError, type Core, type FormSource, type User } from '../../core/index.js';
import { intakeReplayData, sourceAddData, sourceDisableData } from '../callback-data/misc.js';
import type { ActiveContext } from '../context.js';
import { ADD_SOURCE_CONVERSATION } from '../conversations/add-source.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml, truncate } from '../html.js';
import { editTapped, sendView } from '../lead-cards.js';
import type { Texts } from '../texts/index.js';
import type { View } from '../views/lead-card.view.js';
import { setAsideSection } from '../views/set-aside.view.js';

const SET_ASIDE_SHOWN = 10;

/** /sources: the sources, then what was set aside (§11), as one read. */
async function sourcesView(core: Core, t: Texts, user: User, notice?: string): Promise<View> {
  const [sources, setAside, counts] = await Promise.all([
    core.formSources.list(user), core.intake.failed(user, { limit: SET_ASIDE_SHOWN }), core.intake.journalCounts(user),
  ]);
  const view = renderSources(t, sources, notice);
  const section = setAsideSection(t, setAside, counts.failed);
  if (section.lines.length === 0) return view;
  return { text: [view.text, ...section.lines].join('\n'), keyboard: section.keyboard.row().append(view.keyboard) };
}

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
    ctx.hasCommand('sources') || ctx.hasCallbackQuery([sourceAddData.filter, sourceDisableData.filter, intakeReplayData.filter]);
  composer.filter((ctx) => !can(ctx.user, 'sources.manage') && isSourcesUpdate(ctx), async (ctx) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.access.adminsOnly, show_alert: true });
    else await ctx.reply(ctx.t.access.adminsOnly);
  });

  admins.command('sources', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await sourcesView(core, ctx.t, ctx.user));
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
    await editTapped(ctx, await sourcesView(core, ctx.t, ctx.user, notice));
  });

  // §11: a submission set aside after failing goes back to the worker (from the alert or from /sources).
  admins.callbackQuery(intakeReplayData.filter, async (ctx) => {
    const data = intakeReplayData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    try {
      await core.intake.replay(ctx.user, data.submissionId);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      return ctx.answerCallbackQuery({ text: ctx.t.sources.notSetAside, show_alert: true });
    }
    await ctx.answerCallbackQuery({ text: ctx.t.sources.replayed(data.submissionId) });
    ctx.log.info({ submission_id: data.submissionId }, 'intake_submission_replayed');
    await editTapped(ctx, await sourcesView(core, ctx.t, ctx.user, ctx.t.sources.replayed(data.submissionId)));
  });

  return composer;
}
