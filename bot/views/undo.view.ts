import { undoData } from '../callback-data/team-actions.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

/**
 * Adds ↩️ Undo under a confirmation (§3–§6: Lost, Reassign, Delete). The
 * button stays drawn after the 30 s; pressing it late says so.
 */
export function withUndo(t: Texts, view: View, token: string): View {
  return { text: view.text, keyboard: view.keyboard.row().text(t.undo.button, undoData.pack({ token })) };
}
