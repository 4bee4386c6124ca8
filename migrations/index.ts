import type { Migration } from 'kysely/migration';
import * as createUsers from './2026_11_21_000100_create_users.js';
import * as createFormSources from './2026_11_21_000200_create_form_sources.js';
import * as createLeads from './2026_11_21_000300_create_leads.js';
import * as createLeadHistoryAndNotes from './2026_11_21_000400_create_lead_history_and_notes.js';
import * as createIntakeSubmissions from './2026_11_21_000500_create_intake_submissions.js';
import * as createNotificationsAndStaleAlerts from './2026_11_21_000600_create_notifications_and_stale_alerts.js';
import * as indexDeletedLeads from './2026_11_22_000100_index_deleted_leads.js';
import * as createLeadAttachments from './2026_11_22_000200_create_lead_attachments.js';
import * as createLeadSearchIndexes from './2026_11_22_000300_create_lead_search_indexes.js';
import * as addLeadUnverifiedPhone from './2026_12_02_000100_add_lead_unverified_phone.js';
import * as typeOutboxMessages from './2026_12_02_000300_type_outbox_messages.js';
import * as storeCodesNotWords from './2026_12_02_000400_store_codes_not_words.js';
import * as addNoticeState from './2026_12_02_000500_add_notice_state.js';
import * as createStaffInvites from './2026_12_02_000600_create_staff_invites.js';
import * as createCampaignLinks from './2026_12_02_000700_create_campaign_links.js';
import * as createConversations from './2026_12_02_000800_create_conversations.js';
import * as createChannelTexts from './2026_12_02_000900_create_channel_texts.js';
import * as addFormProviders from './2026_12_02_001000_add_form_providers.js';
import * as createApiCredentials from './2026_12_02_001500_create_api_credentials.js';
import * as createWebhooks from './2026_12_02_001510_create_webhooks.js';
import * as indexNotificationsForConversations from './2026_12_02_001100_index_notifications_for_conversations.js';
import * as createAiAnalyses from './2026_12_02_001200_create_ai_analyses.js';
import * as createAiAnalysisRequests from './2026_12_02_001210_create_ai_analysis_requests.js';
import * as addFollowups from './2026_12_02_001400_add_followups.js';
import * as createDeals from './2026_12_02_001300_create_deals.js';
import * as journalIntakeSubmissions from './2026_12_02_001700_journal_intake_submissions.js';
import * as indexOpenLeadsByAssignee from './2026_12_02_001800_index_open_leads_by_assignee.js';
import * as addLeadStaleAlertedAt from './2026_12_02_001900_add_lead_stale_alerted_at.js';
import * as indexLeadNameWords from './2026_12_03_000100_index_lead_name_words.js';

/**
 * Every migration by name, in order. Listed statically (not read from disk)
 * so the same list runs under tsx, vitest and the compiled build.
 * Add new files here; never edit an applied one.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_21_000100_create_users': createUsers,
  '2026_11_21_000200_create_form_sources': createFormSources,
  '2026_11_21_000300_create_leads': createLeads,
  '2026_11_21_000400_create_lead_history_and_notes': createLeadHistoryAndNotes,
  '2026_11_21_000500_create_intake_submissions': createIntakeSubmissions,
  '2026_11_21_000600_create_notifications_and_stale_alerts': createNotificationsAndStaleAlerts,
  '2026_11_22_000100_index_deleted_leads': indexDeletedLeads,
  '2026_11_22_000200_create_lead_attachments': createLeadAttachments,
  '2026_11_22_000300_create_lead_search_indexes': createLeadSearchIndexes,
  '2026_12_02_000100_add_lead_unverified_phone': addLeadUnverifiedPhone,
  '2026_12_02_000300_type_outbox_messages': typeOutboxMessages,
  '2026_12_02_000400_store_codes_not_words': storeCodesNotWords,
  '2026_12_02_000500_add_notice_state': addNoticeState,
  '2026_12_02_000600_create_staff_invites': createStaffInvites,
  '2026_12_02_000700_create_campaign_links': createCampaignLinks,
  '2026_12_02_000800_create_conversations': createConversations,
  '2026_12_02_000900_create_channel_texts': createChannelTexts,
  '2026_12_02_001000_add_form_providers': addFormProviders,
  '2026_12_02_001100_index_notifications_for_conversations': indexNotificationsForConversations,
  '2026_12_02_001200_create_ai_analyses': createAiAnalyses,
  '2026_12_02_001210_create_ai_analysis_requests': createAiAnalysisRequests,
  '2026_12_02_001400_add_followups': addFollowups,
  '2026_12_02_001300_create_deals': createDeals,
  '2026_12_02_001500_create_api_credentials': createApiCredentials,
  '2026_12_02_001510_create_webhooks': createWebhooks,
  '2026_12_02_001700_journal_intake_submissions': journalIntakeSubmissions,
  '2026_12_02_001800_index_open_leads_by_assignee': indexOpenLeadsByAssignee,
  '2026_12_02_001900_add_lead_stale_alerted_at': addLeadStaleAlertedAt,
  '2026_12_03_000100_index_lead_name_words': indexLeadNameWords,
};
