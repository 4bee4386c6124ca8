/**
 * Where `npm run leads` does its work: in a database it opens itself
 * (PostgreSQL, or the embedded one when no app holds it), or through the
 * control endpoint of the app that holds the embedded database
 * (http/routes/control-leads.ts) — two processes never open one PGlite folder.
 */
import { pino } from 'pino';
import type { Config } from '../config.js';
import {
  createCore, createStore, migrateToLatest, OPERATOR, type ControlEndpoint, type DbHandle, type LeadListFilters, type LeadSource,
} from '../core/index.js';
import { CONTROL_PATH } from '../http/routes/control.js';
import type { ImportStreamLine } from '../http/routes/control-leads.js';
import { ControlRequestError, reachEmbedded, type ConnectEmbeddedOptions } from './sources-backend.js';

export interface ImportOutcome { total: number; created: number; duplicate: number; refused: number; resultsCsv: Buffer }

export interface LeadsBackend {
  kind: 'direct' | 'control';
  importCsv(p: { bytes: Uint8Array; fileName: string; defaultSource?: LeadSource; onProgress: (done: number, total: number) => void }): Promise<ImportOutcome>;
  exportCsv(filters: LeadListFilters): Promise<{ csv: Buffer; count: number }>;
  close(): Promise<void>;
}

/** The commands on a database this process opened (migrated first), through core as the operator. */
export async function openDirectLeads(handle: DbHandle, config: Config): Promise<LeadsBackend> {
  try {
    await migrateToLatest(handle.db);
  } catch (err) {
    await handle.close();
    throw err;
  }
  const store = createStore({});
  const core = createCore({ db: handle.db, store, config, logger: pino({ level: 'silent' }) });
  return {
    kind: 'direct',
    importCsv: async (p) => {
      const summary = await core.imports.importCsv(OPERATOR, p);
      return { ...summary, resultsCsv: core.imports.resultsCsv(summary) };
    },
    exportCsv: (filters) => core.imports.exportCsv(OPERATOR, filters),
    close: async () => {
      await store.close();
      await handle.close();
    },
  };
}

/** The commands through the app's control endpoint: the import streams its progress as NDJSON. */
export function controlLeads(endpoint: ControlEndpoint, requestTimeoutMs: number): LeadsBackend {
  const url = (path: string) => new URL(`${CONTROL_PATH}/leads${path}`, endpoint.url);
  const auth = { authorization: `Bearer ${endpoint.token}` };
  const refuse = async (res: Response) => {
    const data = (await res.json().catch(() => ({}))) as { message?: unknown };
    return new ControlRequestError(res.status, typeof data.message === 'string' ? data.message : `The app answered ${res.status}`);
  };
  return {
    kind: 'control',
    async importCsv(p) {
      const query = new URLSearchParams({ file: p.fileName, ...(p.defaultSource ? { source: p.defaultSource } : {}) });
      // No time limit on the whole import (10,000 rows take seconds); the progress lines show it is alive.
      const res = await fetch(url(`/import?${query}`), { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: p.bytes });
      if (!res.ok || !res.body) throw await refuse(res);
      let pending = '';
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const text of lines.filter(Boolean)) {
          const line = JSON.parse(text) as ImportStreamLine;
          if ('progress' in line) p.onProgress(line.progress.done, line.progress.total);
          else if ('error' in line) throw new ControlRequestError(422, line.error.message);
          else return { ...line.result, resultsCsv: Buffer.from(line.result.results_csv, 'base64') };
        }
      }
      throw new ControlRequestError(502, 'The app ended the import without a result');
    },
    async exportCsv(filters) {
      const res = await fetch(url('/export'), {
        method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(filters),
        signal: AbortSignal.timeout(requestTimeoutMs * 6),
      });
      if (!res.ok) throw await refuse(res);
      return { csv: Buffer.from(await res.arrayBuffer()), count: Number(res.headers.get('x-lead-count') ?? 0) };
    },
    close: async () => {},
  };
}

/** The embedded database, whoever holds it (see reachEmbedded). */
export const connectEmbeddedLeads = (options: ConnectEmbeddedOptions): Promise<LeadsBackend> => reachEmbedded(options, {
  direct: (handle) => openDirectLeads(handle, options.config),
  control: controlLeads,
});
