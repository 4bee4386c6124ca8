import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { ValidationError } from '../../core/index.js';
import { contactLeadData } from '../callback-data/channels.js';
import type { ActiveContext } from '../context.js';
import { NEW_LEAD_CONVERSATION, showExisting, type NewLeadPrefill } from '../conversations/new-lead.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { onCallback } from '../on-callback.js';

const CONTACT_PREFIX = 'bot:new-lead-contact:';
const CONTACT_TTL_MS = 60 * 60 * 1000;

/** Telegram gives a contact's number without its "+" (380501234567); a long run of digits is international. */
const contactPhone = (raw: string) => (/^\d{10,15}$/.test(raw.trim()) ? `+${raw.trim()}` : raw.trim());

/**
 * Leads typed in by staff (§2, §4, §16): /new asks step by step
 * (conversations/new-lead.ts); a contact card sent to the bot offers to make
 * a lead of it — or shows the lead that already has its phone. The offer
 * keeps the contact in the store under a short key its button carries.
 */
export function newLeadFeature({ core, store }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('new', async (ctx) => {
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(NEW_LEAD_CONVERSATION);
  });

  composer.on('message:contact', async (ctx) => {
    const contact = ctx.message.contact;
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ');
    let read;
    try {
      read = await core.leads.readContact(ctx.user, contactPhone(contact.phone_number));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return void await ctx.reply(ctx.t.newLead.contactNoPhone);
    }
    if (read.existingLeadId !== null) return showExisting(core, ctx, read.existingLeadId);
    const key = randomBytes(6).toString('base64url');
    const prefill: NewLeadPrefill = { name: name || null, phone: read.phone! };
    await store.set(CONTACT_PREFIX + key, JSON.stringify({ userId: ctx.user.id, prefill }), CONTACT_TTL_MS);
    await ctx.reply(ctx.t.newLead.contactOffer(escapeHtml(name), escapeHtml(read.phone!)), {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text(ctx.t.newLead.contactCreate, contactLeadData.pack({ key })),
    });
  });

  onCallback(composer, contactLeadData, core, async (ctx, data) => {
    const raw = await store.get(CONTACT_PREFIX + data.key);
    const saved = raw ? JSON.parse(raw) as { userId: number; prefill: NewLeadPrefill } : null;
    if (!saved || saved.userId !== ctx.user.id) return void await ctx.reply(ctx.t.common.outdatedButton);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(NEW_LEAD_CONVERSATION, saved.prefill);
  });

  return composer;
}
