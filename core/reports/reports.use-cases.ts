import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { assertActive, assertCan } from '../access/access-policy.js';
import { reportDataVersion } from './report.repository.js';
import { buildMyStats, buildReport, type ReportKind } from './reports.service.js';
import type { ReportPeriod } from './report-period.rules.js';

/** §14 reporting: /report for managers and admins, /mystats for everyone. Times in the viewer's zone. */
export function reportUseCases(ctx: CoreContext) {
  const { db, config } = ctx;
  const zoneOf = (viewer: User) => viewer.timezone ?? config.TEAM_TIMEZONE;
  return {
    /** Throws ForbiddenError unless the viewer may see the team reports (managers, admins). */
    checkAccess: (viewer: User): void => assertCan(viewer, 'reports.view'),
    /** One report over a period. Throws ForbiddenError, ValidationError. See buildReport. */
    report: (viewer: User, p: { kind: ReportKind; period: ReportPeriod }) =>
      buildReport(db, viewer, { ...p, timeZone: zoneOf(viewer), now: ctx.now() }),
    /** The viewer's own numbers against the team's medians. See buildMyStats. */
    myStats: (viewer: User, period: ReportPeriod) =>
      buildMyStats(db, viewer, { period, timeZone: zoneOf(viewer), now: ctx.now(), staleAfterDays: config.STALE_AFTER_DAYS }),
    /**
     * A string that changes whenever lead data does (count, history, last
     * update): rendered charts are cached under it. Throws ForbiddenError (inactive).
     */
    dataVersion: (viewer: User) => {
      assertActive(viewer);
      return reportDataVersion(db);
    },
  };
}
