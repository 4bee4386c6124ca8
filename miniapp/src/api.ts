/** The board's calls to the CRM (/app/api), each carrying Telegram's init data as its proof (§16). */

/** Which board: the cold pipeline's leads, or the sales pipeline's deals (once the CRM has deals). */
export type BoardKind = 'leads' | 'deals';
/** A column's stage: NEW / CONTACTED / QUALIFIED for leads, NEW / KYC / AGREEMENT / PAID for deals. */
export type Stage = string;
export type Target = Stage | 'LOST';

export interface Card {
  id: number; stage: Stage; name: string | null; company: string | null; createdAt: string;
  assigneeId: number | null; assigneeName: string | null; aiScore: number | null; qualityTier: string | null; version: number;
  /** Deals: the amount as the CRM formats it ("12 500.00 UAH"), when set. */
  amount?: string | null;
}
export interface Board {
  columns: { stage: Stage; total: number; cards: Card[] }[];
  wipLimit: number; wipExceeded: boolean; version: string;
}
export interface Me {
  id: number; name: string; role: string; language: 'en' | 'uk';
  canRollback: boolean; canFilterAssignee: boolean; lostReasonCodes: string[]; pollMs: number;
  /** The boards this CRM offers, in tab order; the first is opened. */
  boards: BoardKind[];
}
export interface Filters { qualityTiers: string[]; sources: string[]; assignees: string[] }

/** A refusal as the server words it: the error code, its message and extras (expected_stage, rule…). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: { error?: string; message?: string; expected_stage?: string | null; rule?: string; min_length?: number }) {
    super(body.message ?? `HTTP ${status}`);
  }
}

export function createApi(initData: string) {
  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`/app/api${path}`, {
      ...init,
      headers: { authorization: `tma ${initData}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, body);
    return body as T;
  }
  const query = (f: Filters) => {
    const q = new URLSearchParams();
    if (f.qualityTiers.length) q.set('quality_tier', f.qualityTiers.join(','));
    if (f.sources.length) q.set('source', f.sources.join(','));
    if (f.assignees.length) q.set('assignee', f.assignees.join(','));
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  return {
    me: () => call<Me>('/me'),
    board: (kind: BoardKind, f: Filters) => call<Board>(`${kind === 'deals' ? '/deals' : ''}/board${query(f)}`),
    version: () => call<{ version: string }>('/version'),
    assignees: () => call<{ users: { id: number; full_name: string }[] }>('/assignees'),
    move: (m: { leadId: number; to: Target; expectedVersion: number; lostReasonCode?: string; reason?: string }) =>
      call<{ id: number; stage: string; version: number }>('/move', { method: 'POST', body: JSON.stringify(m) }),
    moveDeal: (m: { dealId: number; to: Target; expectedVersion: number; reason?: string; amount?: string }) =>
      call<{ id: number; stage: string; version: number }>('/deals/move', { method: 'POST', body: JSON.stringify(m) }),
  };
}
export type Api = ReturnType<typeof createApi>;
