import './style.css';
import { ApiError, createApi, type Board, type Filters, type Me, type Stage, type Target } from './api.js';
import { renderBoard, renderFilters } from './board.js';
import { askReason, el, toast } from './dialog.js';
import { enableDrag } from './drag.js';
import { applyTheme, launchParams, onThemeChanged, postEvent } from './telegram.js';
import { textsFor, type BoardTexts } from './texts.js';

const ORDER: Stage[] = ['NEW', 'CONTACTED', 'QUALIFIED'];
const ROLLBACK_REASON_MIN = 10;

/**
 * The kanban board (§14). The server decides everything: a drop is sent as
 * a move and the card stays where it was dropped (optimistic) until the
 * answer; a refusal puts it back and says why, in the user's language.
 * Changes by others arrive by polling the data version.
 */
async function start(): Promise<void> {
  const { initData, theme } = launchParams();
  applyTheme(theme);
  onThemeChanged(applyTheme);
  postEvent('web_app_ready');
  postEvent('web_app_expand');
  const app = document.getElementById('app')!;
  const api = createApi(initData);
  let me: Me;
  try {
    me = await api.me();
  } catch (err) {
    const t = textsFor(navigator.language.startsWith('uk') ? 'uk' : 'en');
    app.replaceChildren(message(err instanceof ApiError && err.status === 403 ? t.noAccess : t.auth));
    return;
  }
  const t = textsFor(me.language);
  document.documentElement.lang = me.language;
  document.title = t.title;
  const filtersRoot = el('header', 'top');
  const boardRoot = el('main', 'board');
  app.replaceChildren(filtersRoot, boardRoot);

  let filters: Filters = { qualityTiers: [], sources: [], assignees: [] };
  let board: Board | null = null;
  let busy = 0; // a drag, a question or a move in flight: polling waits
  const assignees = me.canFilterAssignee ? (await api.assignees()).users : [];

  const load = async () => {
    board = await api.board(filters);
    renderBoard(boardRoot, t, board);
  };
  renderFilters(filtersRoot, t, me, filters, assignees, (f) => { filters = f; void load(); });
  await load();

  enableDrag(boardRoot, {
    onStart: () => { busy += 1; },
    onDrop: (id, target) => {
      void drop(id, target as Target | null).finally(() => { busy -= 1; });
    },
  });

  async function drop(id: number, target: Target | null): Promise<void> {
    const card = board?.columns.flatMap((c) => c.cards).find((c) => c.id === id);
    if (!card || !target || target === card.stage) return;
    const body: Parameters<typeof api.move>[0] = { leadId: id, to: target, expectedVersion: card.version };
    if (target === 'LOST') {
      const answer = await askReason(t, { title: t.askLost(id), presets: me.lostReasonCodes, min: 1 });
      if (!answer) return;
      if (answer.code) body.lostReasonCode = answer.code;
      else body.reason = answer.text!;
    } else if (ORDER.indexOf(target) === ORDER.indexOf(card.stage) - 1 && me.canRollback) {
      const answer = await askReason(t, { title: t.askRollback(id, ROLLBACK_REASON_MIN), presets: [], min: ROLLBACK_REASON_MIN });
      if (!answer) return;
      body.reason = answer.text!;
    }
    placeOptimistically(id, target);
    try {
      await api.move(body);
      toast(t.moved(id, t.stages[target]));
    } catch (err) {
      toast(refusal(t, err), 'error');
    }
    await load();
  }

  function placeOptimistically(id: number, target: Target): void {
    const node = boardRoot.querySelector<HTMLElement>(`[data-card="${id}"]`);
    const column = boardRoot.querySelector<HTMLElement>(`[data-column="${target}"]`);
    if (!node) return;
    if (column) column.querySelector('.column-title')!.after(node);
    else node.remove();
    node.classList.add('pending');
  }

  setInterval(() => {
    if (busy > 0 || document.hidden) return;
    api.version().then((v) => (board && v.version !== board.version && busy === 0 ? load() : undefined)).catch(() => undefined);
  }, me.pollMs);
}

function refusal(t: BoardTexts, err: unknown): string {
  if (!(err instanceof ApiError)) return t.refused.network;
  const b = err.body;
  switch (b.error) {
    case 'INVALID_TRANSITION':
      if (b.rule === 'skip' && b.expected_stage) return t.refused.skip(t.stages[b.expected_stage as Stage] ?? b.expected_stage);
      if (b.rule === 'backward') return t.refused.backward;
      if (b.rule === 'terminal' || b.rule === 'transfer_only') return t.refused.terminal;
      if (b.rule === 'same') return t.refused.same;
      return b.message ?? t.refused.forbidden;
    case 'LEAD_CHANGED': return t.refused.changed;
    case 'FORBIDDEN': return t.refused.forbidden;
    case 'REASON_REQUIRED': return t.refused.reason(b.min_length ?? 1);
    case 'RATE_LIMITED': return t.refused.rate;
    default: return b.message ?? t.refused.network;
  }
}

function message(text: string): HTMLElement {
  const p = el('p', 'message');
  p.textContent = text;
  return p;
}

void start();
