import { autoRetry } from '@grammyjs/auto-retry';
import {
  conversations, createConversation, type ConversationData, type VersionedState,
} from '@grammyjs/conversations';
import { sequentialize } from '@grammyjs/runner';
import { Api, Bot, type Context } from 'grammy';
import { isActiveUser, type ActiveContext, type BotContext } from './context.js';
import { ADD_SOURCE_CONVERSATION, addSourceConversation } from './conversations/add-source.js';
import { ATTACHMENT_CONVERSATION, attachmentConversation } from './conversations/lead-attachment.js';
import { EDIT_FIELD_CONVERSATION, editFieldConversation } from './conversations/edit-field.js';
import { NOTE_CONVERSATION, noteConversation } from './conversations/lead-note.js';
import {
  LOST_REASON_CONVERSATION, ROLLBACK_REASON_CONVERSATION, lostReasonConversation, rollbackReasonConversation,
} from './conversations/stage-reason.js';
import { TIME_ZONE_CONVERSATION, timeZoneConversation } from './conversations/time-zone.js';
import { USER_CAPACITY_CONVERSATION, userCapacityConversation } from './conversations/user-capacity.js';
import { ADD_CAMPAIGN_CONVERSATION, addCampaignConversation } from './conversations/add-campaign.js';
import { CUSTOMER_REPLY_CONVERSATION, customerReplyConversation } from './conversations/customer-reply.js';
import { CHANNEL_TEXT_CONVERSATION, channelTextConversation } from './conversations/edit-channel-text.js';
import { NEW_LEAD_CONVERSATION, newLeadConversation } from './conversations/new-lead.js';
import { AI_COMMENT_CONVERSATION, aiCommentConversation } from './conversations/ai-comment.js';
import {
  DEAL_AMOUNT_CONVERSATION, DEAL_LOST_CONVERSATION, dealAmountConversation, dealLostConversation,
} from './conversations/deal-stage.js';
import type { BotDeps } from './deps.js';
import { handleUpdateError } from './error-handler.js';
import { accessFeature } from './features/access.js';
import { aiFeature } from './features/ai.js';
import { apiFeature } from './features/api.js';
import { availabilityFeature } from './features/availability.js';
import { bulkFeature } from './features/bulk.js';
import { deletionFeature } from './features/deletion.js';
import { findFeature } from './features/find.js';
import { guestHelpFeature, helpFeature } from './features/help.js';
import { langFeature } from './features/lang.js';
import { leadActionsFeature } from './features/lead-actions.js';
import { leadAttachmentsFeature } from './features/lead-attachments.js';
import { leadCardFeature } from './features/lead-card.js';
import { leadEditFeature } from './features/lead-edit.js';
import { leadHistoryFeature } from './features/lead-history.js';
import { leadNotesFeature } from './features/lead-notes.js';
import { leadsFeature } from './features/leads.js';
import { noAccessFeature } from './features/no-access.js';
import { outboxFeature } from './features/outbox.js';
import { reassignFeature } from './features/reassign.js';
import { reportsFeature } from './features/reports.js';
import { settingsFeature } from './features/settings.js';
import { sourcesFeature } from './features/sources.js';
import { staleAlertFeature } from './features/stale-alert.js';
import { remindersFeature } from './features/reminders.js';
import { REMINDER_TIME_CONVERSATION, reminderTimeConversation } from './conversations/reminder-time.js';
import { startFeature } from './features/start.js';
import { strayFileFeature } from './features/stray-file.js';
import { teamFeature } from './features/team.js';
import { undoFeature } from './features/undo.js';
import { unhandledFeature } from './features/unhandled.js';
import { usersFeature } from './features/users.js';
import { webhooksFeature } from './features/webhooks.js';
import { autoRepliesFeature } from './features/auto-replies.js';
import { campaignsFeature } from './features/campaigns.js';
import { conversationsFeature } from './features/conversations.js';
import { customerFeature } from './features/customer.js';
import { inviteJoinFeature, invitesFeature } from './features/invites.js';
import { leadImportFeature } from './features/lead-import.js';
import { newLeadFeature } from './features/new-lead.js';
import { dealListFeature } from './features/deal-list.js';
import { dealsFeature } from './features/deals.js';
import { transferFeature } from './features/transfer.js';
import { errorFields } from './log-fields.js';
import { createSettingsMenu } from './menus/settings.menu.js';
import { syncCommandMenu } from './middlewares/command-menu.js';
import { loadUser } from './middlewares/load-user.js';
import { updateContext } from './middlewares/update-context.js';
import { createKvStorageAdapter } from './storage.js';
import { boardUrl } from './web-app.js';

export type { BotDeps } from './deps.js';
export type { BotContext } from './context.js';

/** A question nobody answered within this time is dropped; the next message is handled normally. */
const CONVERSATION_TIMEOUT_MS = 30 * 60 * 1000;
/** Abandoned conversation state disappears from the store after a day. */
const CONVERSATION_STATE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The Telegram edge (§1). The install order below is the only place where
 * features are ordered (house style rule 7):
 *   metrics + logger → one update per chat → error boundary → user → private chats only
 *   → command menu (set after the update, when it changed) → /start with an invite (joins the team)
 *   → /start of staff and configured admins
 *   → active users: conversations, the /settings menu, features, unhandled │ pending or deactivated
 *     accounts, configured admins not registered yet: /help, no access │ everyone else: a customer (§12).
 * The returned bot is not started: main.ts chooses polling (runner) or the
 * webhook route (http/routes/telegram.ts).
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const { config, core, store, logger } = deps;
  if (!config.BOT_TOKEN) throw new Error('BOT_TOKEN is required to create the bot');

  const bot = new Bot<BotContext>(config.BOT_TOKEN, {
    client: { apiRoot: config.TELEGRAM_API_ROOT },
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
  });
  // Transformers nest: the ones installed later wrap the earlier ones. The
  // network edge goes first, so auto-retry sees its 429s and 5xx. Retries
  // are bounded so a flood wait never hangs a handler; network errors are
  // not retried here (rethrowHttpErrors) because auto-retry would retry them
  // forever. Outbox delivery has an API client of its own that retries as it decides.
  if (deps.apiTransformers?.length) bot.api.config.use(...deps.apiTransformers);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true }));

  bot.use(updateContext(logger, config.DEFAULT_LANGUAGE, config.TEAM_TIMEZONE, deps.onUpdate));
  // One update per chat at a time in this process (the runner and webhooks
  // handle updates concurrently): conversation state is read and written
  // whole per update. Across instances, lead versions decide races instead.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  const guarded = bot.errorBoundary(handleUpdateError);
  guarded.use(loadUser(core, config.DEFAULT_LANGUAGE));
  // Lead data never lands in a group chat: the CRM answers in private chats only.
  const pm = guarded.drop((ctx) => ctx.chat?.type !== 'private');
  pm.use(syncCommandMenu(commandMenuApi(deps), store, boardUrl(config)));
  pm.use(inviteJoinFeature(deps));
  pm.use(startFeature(deps));

  const crm = pm.filter(isActiveUser);
  crm.use(conversations<ActiveContext, Context>({
    storage: {
      type: 'key',
      version: 1,
      prefix: 'bot:conv:',
      adapter: createKvStorageAdapter<VersionedState<ConversationData>>(store, {
        prefix: '', ttlMs: CONVERSATION_STATE_TTL_MS,
      }),
    },
  }));
  const wait = { maxMillisecondsToWait: CONVERSATION_TIMEOUT_MS };
  crm.use(createConversation(noteConversation(core), { id: NOTE_CONVERSATION, ...wait }));
  crm.use(createConversation(lostReasonConversation(core), { id: LOST_REASON_CONVERSATION, ...wait }));
  crm.use(createConversation(rollbackReasonConversation(core), { id: ROLLBACK_REASON_CONVERSATION, ...wait }));
  crm.use(createConversation(addSourceConversation(core), { id: ADD_SOURCE_CONVERSATION, ...wait }));
  crm.use(createConversation(attachmentConversation(core), { id: ATTACHMENT_CONVERSATION, ...wait }));
  crm.use(createConversation(editFieldConversation(core), { id: EDIT_FIELD_CONVERSATION, ...wait }));
  crm.use(createConversation(userCapacityConversation(core), { id: USER_CAPACITY_CONVERSATION, ...wait }));
  crm.use(createConversation(customerReplyConversation(core), { id: CUSTOMER_REPLY_CONVERSATION, ...wait }));
  crm.use(createConversation(newLeadConversation(core), { id: NEW_LEAD_CONVERSATION, ...wait }));
  crm.use(createConversation(addCampaignConversation(core), { id: ADD_CAMPAIGN_CONVERSATION, ...wait }));
  crm.use(createConversation(channelTextConversation(core), { id: CHANNEL_TEXT_CONVERSATION, ...wait }));
  crm.use(createConversation(aiCommentConversation(core), { id: AI_COMMENT_CONVERSATION, ...wait }));
  crm.use(createConversation(reminderTimeConversation(core), { id: REMINDER_TIME_CONVERSATION, ...wait }));
  crm.use(createConversation(dealAmountConversation(core), { id: DEAL_AMOUNT_CONVERSATION, ...wait }));
  crm.use(createConversation(dealLostConversation(core), { id: DEAL_LOST_CONVERSATION, ...wait }));
  const settings = createSettingsMenu(deps);
  crm.use(createConversation(timeZoneConversation(core, settings), { id: TIME_ZONE_CONVERSATION, ...wait }));
  // The menu plugin handles its buttons and draws its menus for whatever comes after it; after the
  // conversations, so a button can enter one.
  crm.use(settings.menu);

  crm.use(accessFeature(deps));
  crm.use(langFeature(deps));
  crm.use(settingsFeature(settings));
  crm.use(helpFeature());
  crm.use(leadCardFeature(deps));
  crm.use(leadActionsFeature(deps));
  crm.use(aiFeature(deps));
  crm.use(leadHistoryFeature(deps));
  crm.use(leadNotesFeature(deps));
  crm.use(leadAttachmentsFeature(deps));
  crm.use(leadEditFeature(deps));
  crm.use(staleAlertFeature(deps));
  crm.use(remindersFeature(deps));
  crm.use(transferFeature(deps));
  crm.use(dealsFeature(deps));
  crm.use(dealListFeature(deps));
  crm.use(leadsFeature(deps));
  crm.use(findFeature(deps));
  crm.use(sourcesFeature(deps));
  crm.use(reassignFeature(deps));
  crm.use(deletionFeature(deps));
  crm.use(undoFeature(deps));
  crm.use(teamFeature(deps));
  crm.use(usersFeature(deps));
  crm.use(availabilityFeature(deps));
  crm.use(bulkFeature(deps));
  crm.use(outboxFeature(deps));
  crm.use(invitesFeature(deps));
  crm.use(conversationsFeature(deps));
  crm.use(newLeadFeature(deps));
  crm.use(campaignsFeature(deps));
  crm.use(autoRepliesFeature(deps));
  crm.use(leadImportFeature(deps));
  crm.use(reportsFeature(deps));
  crm.use(apiFeature(deps));
  crm.use(webhooksFeature(deps));
  crm.use(strayFileFeature(deps));
  crm.use(unhandledFeature(deps));

  // Accounts of the team that cannot work now see only where they stand (§1); a configured admin
  // who has not sent /start yet is told to. Everyone else who writes is a customer (§12).
  const staffAccount = (ctx: BotContext) => ctx.user?.status === 'pending' || ctx.user?.status === 'inactive'
    || (!ctx.user && ctx.from !== undefined && config.ADMIN_TELEGRAM_IDS.includes(ctx.from.id));
  const staff = pm.filter(staffAccount);
  staff.use(guestHelpFeature());
  staff.use(noAccessFeature());
  pm.use(customerFeature(deps));

  // The outer edge: only errors of the boundary handler or the logging middleware get here.
  bot.catch((err) => {
    logger.error({ ...errorFields(err.error), update_id: err.ctx.update.update_id }, 'bot_update_failed');
  });
  return bot;
}

/**
 * The client that sets chats' command menus: the bot's network edge without
 * auto-retry, and a timeout, since a menu is a convenience that must never
 * hold an update up (a failure is tried again on a later update).
 */
function commandMenuApi(deps: BotDeps): Api {
  const api = new Api(deps.config.BOT_TOKEN!, { apiRoot: deps.config.TELEGRAM_API_ROOT, timeoutSeconds: 10 });
  if (deps.apiTransformers?.length) api.config.use(...deps.apiTransformers);
  return api;
}
