// npm run bench: prints figures and ratios, asserts nothing (speed targets
// are read by people, not enforced by timed tests).
//   npm run bench -- [--quick] [intake|bot|card|search|import|memory|reports|outage|api …]
// Names pick benchmarks (default: all); --quick shortens the outage ones
// (a 5 s Telegram outage instead of 60 s, a shorter watch after the restart).
import { benchBot } from './bot.bench.js';
import { benchIntake } from './intake.bench.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const picked = args.filter((a) => !a.startsWith('--'));
const run = (name: string) => picked.length === 0 || picked.includes(name);

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

if (run('intake')) {
  const { intake, baseline } = await benchIntake();
  console.log('\nIntake webhook: 64 connections on loopback, real PostgreSQL, each request a new lead');
  console.log(`  bare Hono handler : ${fmt(baseline.requestsPerSecond)} req/s   p50 ${fmt(baseline.p50Ms, 1)} ms   p99 ${fmt(baseline.p99Ms, 1)} ms`);
  console.log(`  intake (generic)  : ${fmt(intake.requestsPerSecond)} req/s   p50 ${fmt(intake.p50Ms, 1)} ms   p99 ${fmt(intake.p99Ms, 1)} ms   non-2xx ${intake.non2xx}   errors ${intake.errors}`);
  console.log(`  intake / bare     : ${fmt(intake.requestsPerSecond / baseline.requestsPerSecond, 4)} of the throughput   p99 ${fmt(intake.p99Ms / Math.max(baseline.p99Ms, 0.001), 1)}x`);
}

if (run('bot')) {
  const bot = await benchBot();
  console.log(`\nBot callback queries: 16 chats at once, updates in order per chat, real PostgreSQL (${bot.ask.count} per phase)`);
  console.log(`  grammY, no work    : ${fmt(bot.baseline.updatesPerSecond)} updates/s   p50 ${fmt(bot.baseline.p50Ms, 2)} ms   p99 ${fmt(bot.baseline.p99Ms, 2)} ms`);
  console.log(`  tap 📞 Contacted   : ${fmt(bot.ask.updatesPerSecond)} updates/s   p50 ${fmt(bot.ask.p50Ms, 2)} ms   p99 ${fmt(bot.ask.p99Ms, 2)} ms   (${fmt(bot.ask.updatesPerSecond / bot.baseline.updatesPerSecond, 4)} of bare)`);
  console.log(`  tap ✅ Confirm     : ${fmt(bot.confirm.updatesPerSecond)} updates/s   p50 ${fmt(bot.confirm.p50Ms, 2)} ms   p99 ${fmt(bot.confirm.p99Ms, 2)} ms   (${fmt(bot.confirm.updatesPerSecond / bot.baseline.updatesPerSecond, 4)} of bare)`);
}

if (run('card')) {
  const { benchCardQueries } = await import('./card-queries.bench.js');
  const card = await benchCardQueries();
  console.log(`\nDatabase round trips per card render (/lead <id>, the per-update user load included): ${card.queries}`);
  console.log(`  ${card.statements.join('  |  ')}`);
  console.log('  before the read model (issue 7): 3 — the user, the lead, then its assignee');
}

if (run('search')) {
  const { benchSearch, searchReport } = await import('./search.bench.js');
  for (const line of searchReport(await benchSearch())) console.log(line);
}

if (run('import')) {
  const { benchImport, importReport } = await import('./import.bench.js');
  for (const line of importReport(await benchImport())) console.log(line);
}

if (run('memory')) {
  const { benchMemory, memoryReport } = await import('./memory.bench.js');
  for (const line of memoryReport(await benchMemory())) console.log(line);
}

if (run('reports')) {
  const { benchReports, reportsReport } = await import('./reports.bench.js');
  for (const line of reportsReport(await benchReports())) console.log(line);
}

if (run('outage')) {
  const { benchTelegramOutage, benchPgRestart, outageReport } = await import('./outage.bench.js');
  const telegram = await benchTelegramOutage(quick ? 5 : 60);
  const restart = await benchPgRestart(5, quick ? 5 : 10);
  for (const line of outageReport(telegram, restart)) console.log(line);
}

if (run('api')) {
  const { benchApi, apiReport } = await import('./api.bench.js');
  for (const line of apiReport(await benchApi())) console.log(line);
}
