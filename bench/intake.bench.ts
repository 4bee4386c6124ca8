import { runLoad, startServerProcess, type LoadResult } from './load.js';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/**
 * §11 intake under load: 64 concurrent connections on loopback posting
 * generic-form leads (each with a unique email and phone) to the real app on
 * PostgreSQL, beside a do-nothing Hono handler in the same kind of process.
 */
export async function benchIntake(): Promise<{ intake: LoadResult; baseline: LoadResult }> {
  const baselineServer = await startServerProcess('baseline', {});
  const baseline = await runLoad({ url: baselineServer.info.url!, connections: CONNECTIONS, seconds: SECONDS, body: () => '{}' });
  await baselineServer.stop();

  const intakeServer = await startServerProcess('intake', {});
  const runId = Date.now().toString(36);
  const intake = await runLoad({
    url: intakeServer.info.url!,
    connections: CONNECTIONS,
    seconds: SECONDS,
    headers: { 'x-webhook-secret': intakeServer.info.secret! },
    body: (i) => JSON.stringify({
      name: `Bench Lead ${i}`,
      email: `bench-${runId}-${i}@example.com`,
      phone: `+1555${String(1_000_000 + i).slice(-7)}`,
      message: 'Please call me back about pricing',
      utm: { source: 'google', medium: 'cpc', campaign: 'bench' },
    }),
  });
  await intakeServer.stop();
  return { intake, baseline };
}
