// npm run bench: prints figures and ratios, asserts nothing (speed targets
// are read by people, not enforced by timed tests).
import { benchIntake } from './intake.bench.js';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const { intake, baseline } = await benchIntake();
console.log('\nIntake webhook, 64 connections, loopback, real PostgreSQL');
console.log(`  bare Hono handler : ${fmt(baseline.requestsPerSecond)} req/s   p50 ${fmt(baseline.p50Ms, 1)} ms   p99 ${fmt(baseline.p99Ms, 1)} ms`);
console.log(`  intake (generic)  : ${fmt(intake.requestsPerSecond)} req/s   p50 ${fmt(intake.p50Ms, 1)} ms   p99 ${fmt(intake.p99Ms, 1)} ms   non-2xx ${intake.non2xx}   errors ${intake.errors}`);
console.log(`  ratio intake/bare : ${fmt(intake.requestsPerSecond / baseline.requestsPerSecond, 3)} (throughput)   ${fmt(intake.p99Ms / Math.max(baseline.p99Ms, 0.001), 1)}x (p99 latency)`);
