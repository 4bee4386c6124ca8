import { assertPrincipalCan, type Principal } from '../access/access-policy.js';
import type { CoreContext } from '../core-context.js';
import { UnprocessableError } from '../errors.js';
import type { LeadListFilters } from '../leads/lead-list.filters.js';
import type { LeadSource } from '../leads/lead.constants.js';
import { CSV_MAX_BYTES, decodeCsvBytes, parseCsv } from './csv-read.rules.js';
import { toCsv } from './csv-write.rules.js';
import { exportLeadsCsv } from './lead-export.service.js';
import { importLeads, type ImportSummary } from './lead-import.service.js';

/** The per-row result file of an import: row, status, lead_id, assigned_to (user id), reason. */
export function importResultsCsv(summary: ImportSummary): Buffer {
  return toCsv(['row', 'status', 'lead_id', 'assigned_to', 'reason'], summary.results.map((r) => [
    r.row, r.status, 'leadId' in r ? r.leadId : '', r.status === 'created' ? r.assignedTo ?? '' : '', 'reason' in r ? r.reason : '',
  ]));
}

/**
 * CSV import and export of leads: managers and admins in the bot, the
 * operator on the command line (npm run leads). The same lead creation and
 * §4 duplicate rule as every channel; the per-user creation limit (§16) is
 * for leads typed in one by one, not for an import, which is its own right.
 */
export function importUseCases({ db, config }: CoreContext) {
  return {
    /**
     * Imports a CSV file (bytes as uploaded: UTF-8 with or without BOM,
     * UTF-16, Windows-1251; `,` `;` or tab). defaultSource for rows without
     * a valid `source` column (default MANUAL). Returns the summary with
     * per-row results. Throws ForbiddenError, UnprocessableError (not CSV, too large).
     */
    importCsv: async (by: Principal, p: {
      bytes: Uint8Array; fileName: string; defaultSource?: LeadSource;
      onProgress?: (done: number, total: number) => void | Promise<void>;
    }): Promise<ImportSummary> => {
      assertPrincipalCan(by, 'leads.import');
      if (p.bytes.byteLength > CSV_MAX_BYTES) throw new UnprocessableError(`The file is over ${CSV_MAX_BYTES / 1024 / 1024} MB`);
      const table = parseCsv(decodeCsvBytes(p.bytes));
      return importLeads(db, table, {
        defaultSource: p.defaultSource ?? 'MANUAL', fileName: p.fileName,
        actorUserId: 'id' in by ? by.id : null, defaultCountry: config.DEFAULT_COUNTRY,
        ...(p.onProgress ? { onProgress: p.onProgress } : {}),
      });
    },
    /** The per-row result file. */
    resultsCsv: importResultsCsv,
    /** /export: the leads of a /leads filter as CSV. Throws ForbiddenError, ValidationError. */
    exportCsv: (by: Principal, filters: LeadListFilters = {}) => exportLeadsCsv(db, by, filters),
  };
}
