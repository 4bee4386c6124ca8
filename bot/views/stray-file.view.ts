import { InlineKeyboard } from 'grammy';
import type { Lead } from '../../core/index.js';
import { strayFileCancelData, strayFileLeadData } from '../callback-data/stray-file.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { leadButtonLabel } from './lead-list.view.js';

/** "Which lead is this file for?": the sender's recent leads as buttons, and ❌ Cancel. */
export function renderStrayFileQuestion(t: Texts, key: string, leads: Lead[]): View {
  const kb = new InlineKeyboard();
  for (const lead of leads) kb.text(leadButtonLabel(t, lead), strayFileLeadData.pack({ key, leadId: lead.id })).row();
  kb.text(t.common.cancel, strayFileCancelData.pack({ key }));
  return { text: t.strayFile.ask, keyboard: kb };
}
