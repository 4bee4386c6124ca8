// npm run bench: prints figures and ratios, asserts nothing (speed targets
// are read by people, not enforced by timed tests). Each figure stands beside
// a ceiling measured in the same run, as a ratio, with its spread over rounds.
//   npm run bench -- [--quick] [intake|delivery|costs|stage|startup|bot|card|search|import|memory|reports|outage|api|ai …]
// Names pick benchmarks (default: all); --quick runs a short version of each
// (fewer and shorter rounds, 100,000 leads instead of 1,000,000, a 5 s outage).
import { fmt } from './stats.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const picked = args.filter((a) => !a.startsWith('--'));
const run = (name: string) => picked.length === 0 || picked.includes(name);
const print = (lines: string[]) => { for (const line of lines) console.log(line); };
const started = performance.now();
console.log(`bench ${quick ? '(quick) ' : ''}${new Date().toISOString()}`);

if (run('intake')) {
  const { benchIntake, intakeReport } = await import('./intake.bench.js');
  print(intakeReport(await benchIntake(quick ? { seconds: 3, rounds: 2 } : { seconds: 5, rounds: 3 })));
}

if (run('delivery')) {
  const { benchDelivery, deliveryReport } = await import('./delivery.bench.js');
  print(deliveryReport(await benchDelivery(quick ? { alerts: 300, rounds: 1 } : { alerts: 1_000, rounds: 2 })));
}

if (run('costs')) {
  const { benchCosts, costsReport } = await import('./costs.bench.js');
  print(costsReport(await benchCosts(quick
    ? { leads: 100_000, alerted: 5_000, rounds: 3, samples: 50 }
    : { leads: 1_000_000, alerted: 50_000, rounds: 3, samples: 200 })));
}

if (run('stage')) {
  const { benchStage, stageReport } = await import('./stage.bench.js');
  print(stageReport(await benchStage(quick ? { rounds: 2, pressesPerAgent: 5, pgbenchSeconds: 3 } : { rounds: 3, pressesPerAgent: 20, pgbenchSeconds: 5 })));
}

if (run('startup')) {
  const { benchStartup, startupReport } = await import('./startup.bench.js');
  print(startupReport(await benchStartup(quick ? 2 : 5)));
}

if (run('bot')) {
  const { benchBot } = await import('./bot.bench.js');
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
  if (quick && !process.env.BENCH_SEARCH_SIZES) process.env.BENCH_SEARCH_SIZES = '100000';
  const { benchSearch, searchReport } = await import('./search.bench.js');
  print(searchReport(await benchSearch()));
}

if (run('import')) {
  const { benchImport, importReport } = await import('./import.bench.js');
  print(importReport(await benchImport()));
}

if (run('memory')) {
  const { benchMemory, memoryReport } = await import('./memory.bench.js');
  print(memoryReport(await benchMemory()));
}

if (run('reports')) {
  const { benchReports, reportsReport } = await import('./reports.bench.js');
  for (const line of reportsReport(await benchReports())) console.log(line);
}

if (run('outage')) {
  const { benchTelegramOutage, benchPgRestart, outageReport } = await import('./outage.bench.js');
  const telegram = await benchTelegramOutage(quick ? 5 : 60);
  const restart = await benchPgRestart(5, quick ? 5 : 10);
  print(outageReport(telegram, restart));
}

if (run('reminders')) {
  const { benchReminders, remindersReport } = await import('./reminders.bench.js');
  for (const line of remindersReport(await benchReminders(quick ? 1_000 : 10_000, quick ? 100 : 1_000))) console.log(line);
}

if (run('api')) {
  const { benchApi, apiReport } = await import('./api.bench.js');
  print(apiReport(await benchApi()));
}
console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(0)} s`);

if (run('ai')) {
  const { benchAi, aiReport } = await import('./ai.bench.js');
  for (const line of aiReport(await benchAi())) console.log(line);
}
