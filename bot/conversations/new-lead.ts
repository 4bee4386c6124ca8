import { InlineKeyboard, type Context } from 'grammy';
import {
  canHoldLeads, DuplicateLeadError, ForbiddenError, RateLimitedError, ValidationError, type Core, type LeadSource,
} from '../../core/index.js';
import { NEW_LEAD_SOURCES, newLeadAssignData, newLeadSourceData } from '../callback-data/channels.js';
import type { ActiveContext } from '../context.js';
import { sendView } from '../lead-cards.js';
import type { Texts } from '../texts/index.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { act, askText, CANCEL, say, type CrmConversation } from './ask-text.js';

export const NEW_LEAD_CONVERSATION = 'newLead';

/** What a contact card already says: its name and phone (E.164). */
export interface NewLeadPrefill { name: string | null; phone: string }

const SKIP = '-';
const optional = (text: string) => (text === SKIP ? null : text);

/**
 * /new (§2, §4, §16): name → phone or email → company → intent → source
 * (Manual, Referral, Partner, Callback) → "assign to me" or by free
 * capacity, then core creates the lead. A contact some lead already has
 * shows that lead's card instead (asked right after the contact, and again
 * at creation). /cancel leaves at any step; from a contact card the name
 * and phone are already known.
 */
export function newLeadConversation(core: Core) {
  return async function newLead(conversation: CrmConversation, _ctx: Context, prefill?: NewLeadPrefill): Promise<void> {
    let name: string | null = prefill?.name ?? null;
    let contact: { phone: string | null; email: string | null } | null = prefill ? { phone: prefill.phone, email: null } : null;
    if (!prefill) {
      const typed = await askText(conversation, (t) => t.newLead.askName, { min: 1, max: 256 });
      if (typed === null) return;
      name = optional(typed);
    }
    let prompt = (t: Texts) => t.newLead.askContact;
    while (!contact) {
      const text = await askText(conversation, prompt, { min: 3, max: 254 });
      if (text === null) return;
      const read = await conversation.external(async (ctx) => {
        try {
          return await core.leads.readContact(ctx.user, text);
        } catch (err) {
          if (err instanceof ValidationError) return null;
          throw err;
        }
      });
      if (!read) {
        prompt = (t) => t.newLead.badContact;
        continue;
      }
      if (read.existingLeadId !== null) {
        const existing = read.existingLeadId;
        return conversation.external((ctx) => showExisting(core, ctx, existing));
      }
      contact = { phone: read.phone, email: read.email };
    }
    const company = await askText(conversation, (t) => t.newLead.askCompany, { min: 1, max: 256 });
    if (company === null) return;
    const intent = await askText(conversation, (t) => t.newLead.askIntent, { min: 1, max: 1024 });
    if (intent === null) return;

    const source = await choose(conversation, (t) => ({ text: t.newLead.askSource, keyboard: sourceKeyboard(t) }),
      (data) => newLeadSourceData.unpack(data)?.source);
    if (!source) return;
    const mayHold = await conversation.external((ctx) => canHoldLeads(ctx.user));
    const assign = mayHold ? await choose(conversation, (t) => ({
      text: t.newLead.askAssign,
      keyboard: new InlineKeyboard().text(t.newLead.assignMe, newLeadAssignData.pack({ to: 'me' }))
        .text(t.newLead.assignAuto, newLeadAssignData.pack({ to: 'auto' })),
    }), (data) => newLeadAssignData.unpack(data)?.to) : 'auto';
    if (!assign) return;

    const input = { source: source as LeadSource, fullName: name, ...contact, company: optional(company), intent: optional(intent) };
    await act(conversation, (ctx) => create(core, ctx, input, assign === 'me'));
  };
}

function sourceKeyboard(t: Texts): InlineKeyboard {
  const kb = new InlineKeyboard();
  NEW_LEAD_SOURCES.forEach((source, i) => {
    kb.text(t.newLead.sources[source] ?? source, newLeadSourceData.pack({ source }));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}

/** Asks with buttons and waits for one of them; null after /cancel. Other taps and commands pass on. */
async function choose<T>(
  conversation: CrmConversation, view: (t: Texts) => { text: string; keyboard: InlineKeyboard },
  read: (data: string | undefined) => T | undefined,
): Promise<T | null> {
  await conversation.external(async (ctx) => {
    const { text, keyboard } = view(ctx.t);
    await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
  });
  for (;;) {
    const ctx = await conversation.wait();
    const value = read(ctx.callbackQuery?.data);
    if (value !== undefined) {
      await conversation.external((outside) => outside.answerCallbackQuery().catch(() => undefined));
      return value;
    }
    if (ctx.callbackQuery) await conversation.skip({ next: true });
    const text = ctx.message?.text ?? '';
    if (CANCEL.test(text)) {
      await say(conversation, (t) => t.common.cancelled);
      return null;
    }
    if (text.startsWith('/')) await conversation.halt({ next: true });
  }
}

async function create(
  core: Core, ctx: ActiveContext, input: Parameters<Core['leads']['create']>[1]['input'], assignToSelf: boolean,
): Promise<void> {
  try {
    const lead = await core.leads.create(ctx.user, { input, assignToSelf });
    ctx.log.info({ lead_id: lead.id, source: lead.source, assigned_to: lead.assigned_to }, 'lead_created');
    const card = await core.leads.card(ctx.user, lead.id).catch(() => null);
    if (card) await sendView(ctx.api, ctx.chat!.id, renderLeadCard(ctx.t, card, ctx.t.newLead.created(lead.id)));
    else await ctx.reply(ctx.t.newLead.created(lead.id));
  } catch (err) {
    if (err instanceof DuplicateLeadError) return showExisting(core, ctx, err.existingLeadId);
    if (err instanceof RateLimitedError) {
      await ctx.reply(ctx.t.newLead.rateLimited(err.limit, Math.max(1, Math.ceil(err.retryAfterMs / 60_000))));
      return;
    }
    throw err;
  }
}

/** §4: the contact is a lead already — its card, or, when someone else works it, only its number. */
export async function showExisting(core: Core, ctx: ActiveContext, leadId: number): Promise<void> {
  try {
    const card = await core.leads.card(ctx.user, leadId);
    await sendView(ctx.api, ctx.chat!.id, renderLeadCard(ctx.t, card, ctx.t.newLead.exists(leadId)));
  } catch (err) {
    if (!(err instanceof ForbiddenError)) throw err;
    await ctx.reply(ctx.t.newLead.existsHidden(leadId), { parse_mode: 'HTML' });
  }
}

