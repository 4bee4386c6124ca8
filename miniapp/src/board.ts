import type { Board, BoardKind, Card, Filters, Me } from './api.js';
import { el } from './dialog.js';
import type { BoardTexts } from './texts.js';

const TIERS = ['HOT', 'WARM', 'COLD', 'DEAD'];
const SOURCES = ['WEB', 'REFERRAL', 'SOCIAL', 'MANUAL', 'SCANNER', 'PARTNER', 'REGISTRATION', 'CALLBACK', 'LEAD_MAGNET', 'MESSAGE'];

function cardNode(t: BoardTexts, card: Card, now: number): HTMLElement {
  const node = el('article', 'card');
  node.dataset.card = String(card.id);
  node.dataset.stage = card.stage;
  const head = el('div', 'card-head');
  const name = el('span', 'card-name');
  name.textContent = `#${card.id} ${card.name ?? card.company ?? ''}`.trim();
  head.append(name);
  if (card.aiScore !== null) {
    const badge = el('span', `badge tier-${card.qualityTier ?? 'none'}`);
    badge.textContent = card.aiScore.toFixed(2);
    badge.title = card.qualityTier ?? '';
    head.append(badge);
  }
  const meta = el('div', 'card-meta');
  meta.textContent = `${t.age(now - Date.parse(card.createdAt))} · 👤 ${card.assigneeName ?? t.unassigned}`;
  node.append(head, meta);
  if (card.amount) {
    const amount = el('div', 'card-amount');
    amount.textContent = card.amount;
    node.append(amount);
  }
  return node;
}

/** The columns, the ❌ Lost drop zone and the WIP warning, drawn from the server's board. */
export function renderBoard(root: HTMLElement, t: BoardTexts, board: Board, kind: BoardKind = 'leads'): void {
  const now = Date.now();
  const names = kind === 'deals' ? t.dealStages : t.stages;
  const columns = el('div', 'columns');
  columns.style.gridTemplateColumns = `repeat(${board.columns.length}, minmax(0, 1fr))`;
  for (const column of board.columns) {
    const col = el('section', 'column');
    col.dataset.drop = column.stage;
    col.dataset.column = column.stage;
    const h = el('h2', 'column-title');
    h.textContent = `${names[column.stage] ?? column.stage} · ${column.total}`;
    col.append(h, ...column.cards.map((c) => cardNode(t, c, now)));
    if (column.total > column.cards.length) {
      const more = el('p', 'more');
      more.textContent = t.more(column.total - column.cards.length);
      col.append(more);
    }
    columns.append(col);
  }
  const lost = el('div', 'lost-zone');
  lost.dataset.drop = 'LOST';
  lost.textContent = t.lostZone;
  const parts: HTMLElement[] = [];
  if (board.wipExceeded) {
    const wip = el('div', 'wip');
    wip.setAttribute('role', 'alert');
    const qualified = board.columns.find((c) => c.stage === 'QUALIFIED')?.total ?? 0;
    wip.textContent = t.wip(qualified, board.wipLimit);
    parts.push(wip);
  }
  root.replaceChildren(...parts, columns, lost);
}

/** Tabs between the leads board and the deals board (only when the CRM has both). */
export function renderTabs(root: HTMLElement, t: BoardTexts, boards: BoardKind[], current: BoardKind, onPick: (k: BoardKind) => void): void {
  if (boards.length < 2) return root.replaceChildren();
  const bar = el('nav', 'tabs');
  for (const kind of boards) {
    const b = el('button', `tab${kind === current ? ' current' : ''}`);
    b.dataset.board = kind;
    b.textContent = t.tabs[kind];
    b.onclick = () => onPick(kind);
    bar.append(b);
  }
  root.replaceChildren(bar);
}

/** Filters like /leads: quality tier, source and (managers, admins) assignee. */
export function renderFilters(
  root: HTMLElement, t: BoardTexts, me: Me, filters: Filters, assignees: { id: number; full_name: string }[],
  onChange: (f: Filters) => void,
): void {
  const bar = el('div', 'filters');
  const select = (label: string, name: string, options: [string, string][], current: string[]) => {
    const s = document.createElement('select');
    s.name = name;
    s.setAttribute('aria-label', label);
    for (const [value, text] of [['', `${label}: ${t.filters.all}`] as [string, string], ...options]) {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      o.selected = current[0] === value || (!current.length && value === '');
      s.append(o);
    }
    return s;
  };
  const tier = select(t.filters.tier, 'tier', TIERS.map((x) => [x, t.tiers[x] ?? x]), filters.qualityTiers);
  const source = select(t.filters.source, 'source', SOURCES.map((x) => [x, t.sources[x] ?? x]), filters.sources);
  const controls: HTMLSelectElement[] = [tier, source];
  if (me.canFilterAssignee) {
    controls.push(select(t.filters.assignee, 'assignee',
      [['unassigned', t.unassigned], ...assignees.map((u): [string, string] => [String(u.id), u.full_name])], filters.assignees));
  }
  const read = (): Filters => ({
    qualityTiers: tier.value ? [tier.value] : [],
    sources: source.value ? [source.value] : [],
    assignees: controls[2]?.value ? [controls[2].value] : [],
  });
  for (const c of controls) c.onchange = () => onChange(read());
  bar.append(...controls);
  root.replaceChildren(bar);
}
