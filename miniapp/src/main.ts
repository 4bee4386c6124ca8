import './style.css';
import { ApiError, createApi, type Board, type BoardKind, type Filters, type Me, type Target } from './api.js';
import { renderBoard, renderFilters, renderTabs } from './board.js';
import { askReason, el, toast } from './dialog.js';
import { enableDrag } from './drag.js';
import { applyTheme, launchParams, onThemeChanged, postEvent } from './telegram.js';
import { textsFor, type BoardTexts } from './texts.js';

const ORDER: Record<BoardKind, string[]> = { leads: ['NEW', 'CONTACTED', 'QUALIFIED'], deals: ['NEW', 'KYC', 'AGREEMENT', 'PAID'] };
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
  const tabsRoot = el('div', 'tabs-root');
  const filtersRoot = el('header', 'top');
  const boardRoot = el('main', 'board');
  app.replaceChildren(filtersRoot, boardRoot);
  filtersRoot.append(tabsRoot);
  const filtersBar = el('div', 'filters-root');
  filtersRoot.append(filtersBar);
  let kind: BoardKind = me.boards[0] ?? 'leads';

  let filters: Filters = { qualityTiers: [], sources: [], assignees: [] };
  let board: Board | null = null;
  let busy = 0; // a drag, a question or a move in flight: polling waits
  const assignees = me.canFilterAssignee ? (await api.assignees()).users : [];

  const load = async () => {
    board = await api.board(kind, filters);
    renderBoard(boardRoot, t, board, kind);
  };
  const drawTabs = () => {
    renderTabs(tabsRoot, t, me.boards, kind, (k) => { kind = k; drawTabs(); void load(); });
    filtersBar.hidden = kind === 'deals'; // the /leads filters (tier, source, assignee) do not apply to deals
  };
  drawTabs();
  renderFilters(filtersBar, t, me, filters, assignees, (f) => { filters = f; void load(); });
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
    const onBoard = kind;
    const names = onBoard === 'deals' ? t.dealStages : t.stages;
    const body = onBoard === 'deals' ? await dealMove(id, card.version, target) : await leadMove(id, card.stage, card.version, target);
    if (!body) return;
    placeOptimistically(id, target);
    try {
      if (onBoard === 'deals') await api.moveDeal(body as Parameters<typeof api.moveDeal>[0]);
      else await api.move(body as Parameters<typeof api.move>[0]);
      toast((onBoard === 'deals' ? t.dealMoved : t.moved)(id, names[target] ?? target));
    } catch (err) {
      toast(refusal(t, err, names), 'error');
    }
    await load();
  }

  /** A lead's drop, with the question it needs first (§3): Lost → why; one stage back (managers) → why. */
  async function leadMove(id: number, from: string, version: number, target: Target) {
    const body: Parameters<typeof api.move>[0] = { leadId: id, to: target, expectedVersion: version };
    if (target === 'LOST') {
      const answer = await askReason(t, { title: t.askLost(id), presets: me.lostReasonCodes, min: 1 });
      if (!answer) return null;
      if (answer.code) body.lostReasonCode = answer.code;
      else body.reason = answer.text!;
    } else if (ORDER.leads.indexOf(target) === ORDER.leads.indexOf(from) - 1 && me.canRollback) {
      const answer = await askReason(t, { title: t.askRollback(id, ROLLBACK_REASON_MIN), presets: [], min: ROLLBACK_REASON_MIN });
      if (!answer) return null;
      body.reason = answer.text!;
    }
    return body;
  }

  /** A deal's drop (§9): AGREEMENT → the amount; Lost → why. */
  async function dealMove(id: number, version: number, target: Target) {
    const body: Parameters<typeof api.moveDeal>[0] = { dealId: id, to: target, expectedVersion: version };
    if (target === 'AGREEMENT' || target === 'LOST') {
      const answer = await askReason(t, { title: target === 'LOST' ? t.askDealLost(id) : t.askAmount(id), presets: [], min: 1 });
      if (!answer) return null;
      if (target === 'LOST') body.reason = answer.text!;
      else body.amount = answer.text!;
    }
    return body;
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

function refusal(t: BoardTexts, err: unknown, names: Record<string, string>): string {
  if (!(err instanceof ApiError)) return t.refused.network;
  const b = err.body;
  switch (b.error) {
    case 'INVALID_TRANSITION':
      if (b.rule === 'skip' && b.expected_stage) return t.refused.skip(names[b.expected_stage] ?? b.expected_stage);
      if (b.rule === 'backward') return t.refused.backward;
      if (b.rule === 'terminal' || b.rule === 'transfer_only') return t.refused.terminal;
      if (b.rule === 'same') return t.refused.same;
      return b.message ?? t.refused.forbidden;
    case 'INVALID_DEAL_TRANSITION':
      if (b.rule === 'skip' && b.expected_stage) return t.refused.skip(names[b.expected_stage] ?? b.expected_stage);
      if (b.rule === 'backward') return t.refused.deal.backward;
      if (b.rule === 'terminal') return t.refused.deal.terminal;
      if (b.rule === 'same') return t.refused.deal.same;
      if (b.rule === 'amount_required') return t.refused.deal.amountRequired;
      return b.message ?? t.refused.forbidden;
    case 'LEAD_CHANGED': return t.refused.changed;
    case 'DEAL_CHANGED': return t.refused.deal.changed;
    case 'FORBIDDEN': return t.refused.forbidden;
    case 'REASON_REQUIRED': return t.refused.reason(b.min_length ?? 1);
    case 'RATE_LIMITED': return t.refused.rate;
    case 'INVALID_AMOUNT': return t.refused.amount;
    default: return b.message ?? t.refused.network;
  }
}

function message(text: string): HTMLElement {
  const p = el('p', 'message');
  p.textContent = text;
  return p;
}

void start();
