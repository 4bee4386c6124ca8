import { Composer, InputFile } from 'grammy';
import { can, CSV_MAX_BYTES, LEAD_SOURCES, type LeadSource } from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { viewedFilters } from '../lead-list-state.js';
import { errorFields } from '../log-fields.js';
import { downloadFile } from '../telegram-files.js';

const CSV_TYPES = ['text/csv', 'text/comma-separated-values', 'application/csv', 'text/x-csv'];
/** Telegram's limit on editing one message; the progress line changes at most this often. */
const PROGRESS_EVERY_MS = 1_000;

const isCsv = (doc: { file_name?: string; mime_type?: string }) =>
  /\.csv$/i.test(doc.file_name ?? '') || CSV_TYPES.includes((doc.mime_type ?? '').toLowerCase());

/** A caption naming a lead source (e.g. "PARTNER") sets the source of rows that have none. */
function sourceOf(caption: string | undefined): LeadSource | undefined {
  const word = caption?.trim().toUpperCase();
  return (LEAD_SOURCES as readonly string[]).includes(word ?? '') ? word as LeadSource : undefined;
}

/**
 * CSV import and export in the bot: a manager sends a .csv file (outside any
 * question the bot is asking) and it is imported like `npm run leads --
 * import` — one progress message, edited at most once a second, then the
 * counts and the per-row result file. /export sends the current /leads
 * filter as a CSV document.
 */
export function leadImportFeature({ core, config, store, fetchFile }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.on('message:document', async (ctx, next) => {
    const doc = ctx.message.document;
    if (!isCsv(doc)) return next();
    if (!can(ctx.user, 'leads.import')) return void await ctx.reply(ctx.t.imports.managersOnly);
    if ((doc.file_size ?? 0) > CSV_MAX_BYTES) return void await ctx.reply(ctx.t.imports.tooLarge(CSV_MAX_BYTES / 1024 / 1024));
    const name = doc.file_name ?? 'leads.csv';
    const bytes = await downloadFile(ctx.api, config, doc.file_id, { maxBytes: CSV_MAX_BYTES, fetchFile });
    const progress = await ctx.reply(ctx.t.imports.started(escapeHtml(name)), { parse_mode: 'HTML' });
    let shownAt = Date.now();
    const summary = await core.imports.importCsv(ctx.user, {
      bytes, fileName: name, ...(sourceOf(ctx.message.caption) ? { defaultSource: sourceOf(ctx.message.caption)! } : {}),
      onProgress: async (done, total) => {
        if (done >= total || Date.now() - shownAt < PROGRESS_EVERY_MS) return;
        shownAt = Date.now();
        await ctx.api.editMessageText(ctx.chat.id, progress.message_id, ctx.t.imports.progress(escapeHtml(name), done, total), { parse_mode: 'HTML' })
          .catch((err: unknown) => ctx.log.warn(errorFields(err), 'bot_import_progress_not_shown'));
      },
    });
    ctx.log.info({
      import_id: summary.importId, rows: summary.total, created: summary.created, duplicate: summary.duplicate, refused: summary.refused,
    }, 'leads_imported');
    await ctx.api.editMessageText(ctx.chat.id, progress.message_id,
      ctx.t.imports.done(escapeHtml(name), summary.total, summary.created, summary.duplicate, summary.refused), { parse_mode: 'HTML' });
    await ctx.replyWithDocument(new InputFile(core.imports.resultsCsv(summary), `${name.replace(/\.csv$/i, '')}-results.csv`), {
      caption: ctx.t.imports.resultsCaption,
    });
  });

  composer.command('export', async (ctx) => {
    const { csv, count } = await core.imports.exportCsv(ctx.user, await viewedFilters(store, ctx.user.id));
    if (!count) return void await ctx.reply(ctx.t.imports.exportEmpty);
    ctx.log.info({ count }, 'leads_exported');
    await ctx.replyWithDocument(new InputFile(csv, `leads-${new Date().toISOString().slice(0, 10)}.csv`), {
      caption: ctx.t.imports.exportCaption(count),
    });
  });

  return composer;
}
