import { assertCanViewDeal, canViewDeal, canViewLead } from '../access/access-policy.js';
import type { Db, Deal, Lead, User } from '../database.js';
import { NotFoundError } from '../errors.js';
import { isTerminalDeal, nextDealStage } from './deal-pipeline.rules.js';

export const DEAL_ACTIONS = ['kyc', 'agreement', 'paid', 'lost', 'history', 'lead'] as const;
export type DealAction = (typeof DEAL_ACTIONS)[number];

const STAGE_ACTION = { KYC: 'kyc', AGREEMENT: 'agreement', PAID: 'paid' } as const;

/**
 * What `viewer` may do with a deal now (§9): the next stage, ❌ Lost while
 * open, its history, and its lead's card when they may see the lead. Pure;
 * every action enforces the same rules again.
 */
export function availableDealActions(deal: Deal, lead: Pick<Lead, 'assigned_to'>, viewer: User): DealAction[] {
  if (!canViewDeal(viewer, deal)) return [];
  const actions: DealAction[] = [];
  const next = nextDealStage(deal.stage);
  if (next && next !== 'NEW' && next !== 'LOST') actions.push(STAGE_ACTION[next]);
  if (!isTerminalDeal(deal.stage)) actions.push('lost');
  actions.push('history');
  if (canViewLead(viewer, lead)) actions.push('lead');
  return actions;
}

/**
 * Everything a deal card shows (house style rule 18): the deal, the lead it
 * came from (who, how to reach them, domain, score), its owner, and what
 * the viewer may do. The bot, the API and the Mini App render this.
 */
export interface DealCard {
  deal: Deal;
  lead: Pick<Lead, 'id' | 'full_name' | 'company' | 'position' | 'phone' | 'email' | 'business_domain' | 'ai_score' | 'quality_tier' | 'assigned_to'>;
  owner: Pick<User, 'id' | 'full_name' | 'username'>;
  actions: DealAction[];
}

/** The card's data in ONE query (deal ⋈ lead ⋈ owner). Throws NotFoundError('deal'). */
async function loadDealCard(db: Db, dealId: number): Promise<Omit<DealCard, 'actions'>> {
  const row = await db.selectFrom('deals as d')
    .innerJoin('leads as l', 'l.id', 'd.lead_id')
    .innerJoin('users as o', 'o.id', 'd.owner_id')
    .selectAll('d')
    .select([
      'l.full_name as lead_full_name', 'l.company as lead_company', 'l.position as lead_position', 'l.phone as lead_phone',
      'l.email as lead_email', 'l.business_domain as lead_business_domain', 'l.ai_score as lead_ai_score',
      'l.quality_tier as lead_quality_tier', 'l.assigned_to as lead_assigned_to',
      'o.full_name as owner_name', 'o.username as owner_username',
    ])
    .where('d.id', '=', dealId).executeTakeFirst();
  if (!row) throw new NotFoundError('deal', dealId);
  const {
    lead_full_name, lead_company, lead_position, lead_phone, lead_email, lead_business_domain, lead_ai_score,
    lead_quality_tier, lead_assigned_to, owner_name, owner_username, ...deal
  } = row;
  return {
    deal,
    lead: {
      id: deal.lead_id, full_name: lead_full_name, company: lead_company, position: lead_position, phone: lead_phone,
      email: lead_email, business_domain: lead_business_domain, ai_score: lead_ai_score, quality_tier: lead_quality_tier,
      assigned_to: lead_assigned_to,
    },
    owner: { id: deal.owner_id, full_name: owner_name, username: owner_username },
  };
}

/** The deal card for `viewer` (§9). Throws NotFoundError('deal'), ForbiddenError (not their deal). */
export async function getDealCard(db: Db, viewer: User, dealId: number): Promise<DealCard> {
  const card = await loadDealCard(db, dealId);
  assertCanViewDeal(viewer, card.deal);
  return { ...card, actions: availableDealActions(card.deal, card.lead, viewer) };
}

/** The card the sales chat gets (§8): no viewer, so no actions (group chats have no buttons that act). */
export async function getSalesChatCard(db: Db, dealId: number): Promise<DealCard> {
  return { ...await loadDealCard(db, dealId), actions: [] };
}
