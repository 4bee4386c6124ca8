import type { User as TgUser } from 'grammy/types';
import type { User } from '../../core/index.js';
import { textsFor, type Texts } from '../../bot/texts/index.js';
import type { BotHarness } from './bot-harness.js';
import { buttonsOf, type ChatMessage } from './fake-telegram.js';
import { document, fileUpdate } from './telegram-files.js';

/**
 * Drives the bot the way people use it — tapping buttons by their visible
 * labels, typing text, sending files — and counts what it costs them: taps
 * per action (button presses + typed messages + files sent) and, per
 * person, the messages and edits the bot sends and the callback answers
 * with words (toasts). Labels come from each person's own catalog
 * (bot/texts), so a person reading Ukrainian taps the Ukrainian buttons and
 * a reworded label needs no change here.
 */

export interface Person {
  key: string;
  user: User;
  t: Texts;
  from: TgUser;
}

/** A button: its exact label, a part of it, or a pattern. */
export type Label = string | RegExp;

export interface ActionRecord { name: string; person: string; taps: number }

export interface PersonFigures {
  person: string;
  role: string;
  actions: number;
  taps: number;
  /** sendMessage, sendDocument, sendPhoto to their chat (accepted by Telegram). */
  messages: number;
  /** editMessageText, editMessageReplyMarkup in their chat. */
  edits: number;
  /** answerCallbackQuery with a text: a toast, or an alert with show_alert. */
  toasts: number;
}

export interface ActionTaps { name: string; times: number; min: number; max: number; typical: number }

const SENT = new Set(['sendMessage', 'sendDocument', 'sendPhoto']);
const EDITED = new Set(['editMessageText', 'editMessageReplyMarkup']);

export class WorkingDay {
  readonly actions: ActionRecord[] = [];
  readonly people: Person[] = [];
  private current: { taps: number } | null = null;
  /** Callback query id → the Telegram id of who tapped (answers carry no chat). */
  private readonly queryOwner = new Map<string, number>();

  constructor(readonly h: BotHarness, private readonly teamTimeZone: string) {}

  person(key: string, user: User): Person {
    const p = { key, user, t: textsFor(user.language, user.timezone ?? this.teamTimeZone), from: this.h.as(user) };
    this.people.push(p);
    return p;
  }

  /**
   * One action of a person, e.g. "move to CONTACTED": every tap inside
   * counts towards it. Not nested. A call Telegram refused meanwhile fails
   * the action, naming it (no refusal is allowed).
   */
  async act<T>(name: string, p: Person, steps: () => Promise<T>): Promise<T> {
    if (this.current) throw new Error(`action "${name}" started inside another action`);
    this.current = { taps: 0 };
    const refusalsBefore = this.h.fake.refusals.length;
    try {
      return await steps();
    } finally {
      this.actions.push({ name, person: p.key, taps: this.current.taps });
      this.current = null;
      const refused = this.h.fake.refusals.slice(refusalsBefore);
      if (refused.length) {
        const what = refused.map((r) => `${r.method}: ${r.description}`).join('; ');
        throw new Error(`Telegram refused during "${name}" by ${p.key}: ${what}`);
      }
    }
  }

  /** The person taps the button labelled `label` on a bot message, as the chat shows it now. */
  async press(p: Person, message: ChatMessage, label: Label): Promise<void> {
    const shown = this.h.current(message);
    const update = this.h.tg.callbackUpdate(p.from, shown, findButton(shown, label).callback_data);
    this.queryOwner.set(update.callback_query!.id, p.user.telegram_id);
    this.tap();
    await this.h.bot.handleUpdate(update);
  }

  /** The person taps `label` on the newest bot message that has it (the screen a tap just drew, edited or new). */
  async pressNewest(p: Person, label: Label): Promise<void> {
    await this.press(p, this.newest(p, (m) => hasButton(m, label), `message with ${String(label)}`), label);
  }

  /** The person types a message (a command or an answer). */
  async type(p: Person, text: string): Promise<void> {
    this.tap();
    await this.h.tg.send(p.from, text);
  }

  /** The person sends a PDF (one tap in the attachment menu; choosing the file is the phone's, not the bot's). */
  async sendDocument(p: Person, fileName: string): Promise<void> {
    this.tap();
    await this.h.bot.handleUpdate(fileUpdate(this.h.tg, p.from, { document: document({ file_name: fileName }) }));
  }

  /** The bot's newest message in the person's chat that matches. Throws when there is none. */
  newest(p: Person, matches: (m: ChatMessage) => boolean, what = 'a matching message'): ChatMessage {
    const found = this.h.fake.chat(p.user.telegram_id).filter(matches).at(-1);
    if (!found) throw new Error(`${p.key} has no ${what} in the chat`);
    return found;
  }

  /** The newest live card of the lead in the person's chat: it names the lead as the card title does and has buttons. */
  card(p: Person, leadId: number): ChatMessage {
    const title = p.t.card.title(leadId);
    return this.newest(p, (m) => m.text.includes(title) && buttonsOf(m).length > 0, `card of lead #${leadId}`);
  }

  /** The bot's last message to the person. */
  last(p: Person): ChatMessage {
    return this.h.fake.lastMessage(p.user.telegram_id);
  }

  /** Per person: the actions they took, their taps, and what the bot sent them. */
  figures(): PersonFigures[] {
    const refused = new Set(this.h.fake.refusals.map((r) => r.payload));
    return this.people.map((p) => {
      const id = p.user.telegram_id;
      const mine = this.actions.filter((a) => a.person === p.key);
      const row: PersonFigures = {
        person: p.key, role: p.user.role, actions: mine.length, taps: mine.reduce((n, a) => n + a.taps, 0),
        messages: 0, edits: 0, toasts: 0,
      };
      for (const { method, payload } of this.h.fake.calls) {
        if (refused.has(payload)) continue;
        if (SENT.has(method) && Number(payload.chat_id) === id) row.messages += 1;
        if (EDITED.has(method) && Number(payload.chat_id) === id) row.edits += 1;
        if (method === 'answerCallbackQuery' && payload.text && this.queryOwner.get(String(payload.callback_query_id)) === id) {
          row.toasts += 1;
        }
      }
      return row;
    });
  }

  /** Each action's taps, the most frequent actions first (ties: the one done first). */
  tapsPerAction(): ActionTaps[] {
    const byName = new Map<string, number[]>();
    for (const a of this.actions) byName.set(a.name, [...(byName.get(a.name) ?? []), a.taps]);
    return [...byName].map(([name, taps]) => ({
      name, times: taps.length, min: Math.min(...taps), max: Math.max(...taps), typical: mode(taps),
    })).sort((a, b) => b.times - a.times);
  }

  private tap(): void {
    if (!this.current) throw new Error('a tap outside an action: wrap it in day.act()');
    this.current.taps += 1;
  }
}

/** The button with exactly this label, else the one containing it (or matching the pattern). */
export function findButton(message: ChatMessage, label: Label) {
  const buttons = buttonsOf(message);
  const found = typeof label === 'string'
    ? buttons.find((b) => b.text === label) ?? buttons.find((b) => b.text.includes(label))
    : buttons.find((b) => label.test(b.text));
  if (!found) {
    throw new Error(`no button ${String(label)} on message ${message.messageId} ("${message.text.slice(0, 80)}"): ${buttons.map((b) => b.text).join(' | ')}`);
  }
  return found;
}

export const hasButton = (message: ChatMessage, label: Label): boolean => {
  try {
    findButton(message, label);
    return true;
  } catch {
    return false;
  }
};

/** "#12" on a list button, not "#123". */
export const leadLabel = (leadId: number): RegExp => new RegExp(`#${leadId}(?!\\d)`);

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}

/** A plain-text table for the test output. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
