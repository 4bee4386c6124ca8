import { Composer, InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { MyStats, Report, ReportPeriod, User } from '../../core/index.js';
import { createChartCache } from '../charts/chart-cache.js';
import { createChartJobs } from '../charts/chart-jobs.js';
import { MY_STATS_SIZE, myStatsChart, REPORT_SIZE, reportChart } from '../charts/report-charts.js';
import { myStatsData, reportCsvData, reportShowData } from '../callback-data/reports.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { onCallback } from '../on-callback.js';
import {
  myStatsCaption, myStatsKeyboard, periodRange, renderReportMenu, reportCaption, reportCsv, reportFileName, reportKeyboard,
} from '../views/report.view.js';

type RenderPng = typeof import('../charts/chart-canvas.js').renderChartPng;

/** A chart to put in a chat: where, what, and the key its picture is cached under. */
interface PhotoJob {
  chatId: number;
  /** The photo message to redraw in place (a period tapped on it); null: a new photo. */
  replaceMessageId: number | null;
  cacheKey: string;
  draw: (render: RenderPng) => Buffer;
  caption: string;
  markup: InlineKeyboardMarkup;
}

/**
 * /report (managers, admins) and /mystats (everyone), §14. The handler
 * checks rights and reads the numbers (core, one SQL aggregation each),
 * answers the tap, and leaves drawing and sending to the chart jobs
 * (charts/chart-jobs.ts), so the update is done in milliseconds. Pictures
 * are cached per report, period, language and data version
 * (charts/chart-cache.ts): asking again before the data changes resends
 * Telegram's file id without drawing or uploading.
 */
export function reportsFeature(deps: BotDeps): Composer<ActiveContext> {
  const { core, store, logger } = deps;
  const jobs = deps.chartJobs ?? createChartJobs(logger);
  const cache = createChartCache(store);
  const composer = new Composer<ActiveContext>();

  async function sendPhoto(api: Api, job: PhotoJob): Promise<void> {
    const cached = await cache.fileId(job.cacheKey);
    // The canvas and chart.js load with the first chart drawn, not with the app: most processes never draw one.
    const render = cached ? null : (await import('../charts/chart-canvas.js')).renderChartPng;
    const photo = cached ?? new InputFile(cache.png(job.cacheKey, () => job.draw(render!)), 'chart.png');
    const options = { caption: job.caption, parse_mode: 'HTML' as const, reply_markup: job.markup };
    let sent: Message | true;
    if (job.replaceMessageId !== null) {
      sent = await api.editMessageMedia(job.chatId, job.replaceMessageId, { type: 'photo', media: photo, ...options }, { reply_markup: job.markup });
    } else {
      sent = await api.sendPhoto(job.chatId, photo, options);
    }
    const fileId = sent !== true ? sent.photo?.at(-1)?.file_id : undefined;
    if (!cached && fileId) await cache.rememberFileId(job.cacheKey, fileId);
  }

  function queue(ctx: ActiveContext, job: PhotoJob): void {
    const { api, t } = ctx;
    jobs.run(() => sendPhoto(api, job), async () => { await api.sendMessage(job.chatId, t.reports.failed); });
  }

  /** Where a tap's chart goes: over the photo it was tapped on, or as a new photo under a text message. */
  const target = (ctx: ActiveContext): number | null => {
    const message = ctx.callbackQuery?.message;
    return message && 'photo' in message && message.photo ? message.message_id : null;
  };

  async function showReport(ctx: ActiveContext, kind: Report['kind'], period: ReportPeriod): Promise<void> {
    const report = await core.reports.report(ctx.user, { kind, period });
    const version = await core.reports.dataVersion(ctx.user);
    const range = periodRange(ctx.t, ctx.user.language, report.bounds);
    const t = ctx.t;
    queue(ctx, {
      chatId: ctx.chat!.id,
      replaceMessageId: target(ctx),
      cacheKey: `report:${kind}:${period}:${ctx.user.language}:${report.timeZone}:${report.bounds.from.toISOString()}:${version}`,
      draw: (render) => render(reportChart(t, report, range), REPORT_SIZE),
      caption: reportCaption(t, report, range),
      markup: reportKeyboard(t, kind, period),
    });
  }

  async function showMyStats(ctx: ActiveContext, user: User, period: ReportPeriod): Promise<void> {
    const stats: MyStats = await core.reports.myStats(user, period);
    const version = await core.reports.dataVersion(user);
    const range = periodRange(ctx.t, user.language, stats.bounds);
    const t = ctx.t;
    // Stale counts move with the clock as well as the data: the hour is part of the key.
    const hour = Math.floor(Date.now() / 3_600_000);
    queue(ctx, {
      chatId: ctx.chat!.id,
      replaceMessageId: target(ctx),
      cacheKey: `mystats:${user.id}:${period}:${user.language}:${stats.timeZone}:${stats.bounds.from.toISOString()}:${version}:${hour}`,
      draw: (render) => render(myStatsChart(t, stats, range), MY_STATS_SIZE),
      caption: myStatsCaption(t, stats, range),
      markup: myStatsKeyboard(t, period),
    });
  }

  composer.command('report', async (ctx) => {
    // Refused here for agents (ForbiddenError → the error edge's words), before any menu is drawn.
    core.reports.checkAccess(ctx.user);
    const menu = renderReportMenu(ctx.t);
    await ctx.reply(menu.text, { parse_mode: 'HTML', reply_markup: menu.markup });
  });

  composer.command('mystats', (ctx) => showMyStats(ctx, ctx.user, 'd30'));

  onCallback(composer, reportShowData, core, (ctx, data) => showReport(ctx, data.kind, data.period));
  onCallback(composer, myStatsData, core, (ctx, data) => showMyStats(ctx, ctx.user, data.period));

  onCallback(composer, reportCsvData, core, async (ctx, data) => {
    const report = await core.reports.report(ctx.user, data);
    const range = periodRange(ctx.t, ctx.user.language, report.bounds);
    const first = report.bounds.from.toISOString().slice(0, 10);
    await ctx.replyWithDocument(new InputFile(reportCsv(report), reportFileName(data.kind, data.period, first)), {
      caption: ctx.t.reports.csvCaption(ctx.t.reports.titles[data.kind], range),
    });
  });

  return composer;
}
