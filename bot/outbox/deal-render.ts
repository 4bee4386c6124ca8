import { InlineKeyboard } from 'grammy';
import { ForbiddenError, type Core, type OutboxMessage, type OutboxMessageOf, type User } from '../../core/index.js';
import { dealOpenData } from '../callback-data/deal.js';
import { textsFor, type Texts } from '../texts/index.js';
import { personLabel, type View } from '../views/lead-card.view.js';
import { renderDealCard, renderSalesChatCard } from '../views/deal-card.view.js';

type DealMessage = OutboxMessageOf<'deal_card' | 'deal_changed' | 'deal_stale_alert'>;

/**
 * Deal messages to a user (§8, §9), rendered at delivery from the deal as
 * it is then, for the recipient: the card with their buttons. Someone who
 * can no longer see the deal gets nothing (`refuse`).
 */
export async function renderDealMessage(
  core: Core, t: Texts, message: DealMessage, recipient: User, refuse: (why: string) => Error,
): Promise<View> {
  let card;
  try {
    card = await core.deals.card(recipient, message.dealId);
  } catch (err) {
    if (err instanceof ForbiddenError) throw refuse('the recipient can no longer see the deal');
    throw err;
  }
  switch (message.kind) {
    case 'deal_card':
      return renderDealCard(t, card, t.dealNotify.newDeal(await nameOf(core, t, message.byUserId)));
    case 'deal_changed': {
      const who = await nameOf(core, t, message.byUserId);
      const heading = message.undone
        ? t.dealNotify.undone(who, card.deal.id, t.deals.stages[message.to])
        : t.dealNotify.changed(who, card.deal.id, t.deals.stages[message.from], t.deals.stages[message.to]);
      return renderDealCard(t, card, heading);
    }
    case 'deal_stale_alert':
      return renderDealCard(t, card, t.dealNotify.stale(card.deal.id, message.days));
  }
}

/** The sales chat's card (§8), in the team's language; no user, so no rights and no buttons. */
export async function renderChatOutbox(core: Core, message: OutboxMessage, refuse: (why: string) => Error): Promise<View> {
  if (message.kind !== 'sales_chat_deal') throw refuse(`a ${message.kind} for a team chat`);
  const { card, language, timeZone } = await core.deals.salesChatCard(message.dealId);
  return renderSalesChatCard(textsFor(language, timeZone), card);
}

/** A deal's card as a button (for texts that mention a deal). */
export const openDealButton = (t: Texts, dealId: number) =>
  new InlineKeyboard().text(t.deals.buttons.card, dealOpenData.pack({ dealId }));

async function nameOf(core: Core, t: Texts, userId: number | null): Promise<string> {
  const user = userId === null ? null : await core.outbox.person(userId);
  return user ? personLabel(user) : t.history.system;
}
