import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadResult { requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number; count: number }

/**
 * Drives `url` with `connections` concurrent keep-alive connections for
 * `seconds`; body(i) makes each request's body (unique contacts, so every
 * request does the full intake work).
 */
export async function runLoad(p: {
  url: string; connections: number; seconds: number; headers?: Record<string, string>; body?: (i: number) => string;
  /** Requests a second over all connections; absent: as fast as the server answers. */
  rate?: number;
  /** Default POST; GET sends no body. */
  method?: 'GET' | 'POST';
}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: p.url,
    connections: p.connections,
    duration: p.seconds,
    ...(p.rate ? { overallRate: p.rate } : {}),
    method: p.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...p.headers },
    requests: [{ setupRequest: (req) => (p.method === 'GET' ? req : { ...req, body: p.body ? p.body(i++) : '{}' }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    count: result['2xx'],
  };
}

/** Starts bench/server.ts in its own process; resolves with what it printed on its first line. */
export async function startServerProcess(kind: 'baseline' | 'naive' | 'intake' | 'api', env: NodeJS.ProcessEnv): Promise<{
  info: Record<string, string>; pid: number; stop(): Promise<void>;
}> {
  const script = kind === 'api' ? './api-server.ts' : './server.ts';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL(script, import.meta.url).pathname, kind], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const info = JSON.parse(line.toString().split('\n')[0]!) as Record<string, string>;
  return {
    info,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Resident memory of process `pid`, MB (Linux /proc), or NaN where there is none. */
export function rssMbOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples rssMbOf(pid) every 100 ms until stopped; resolves with the highest seen. */
export function watchRss(pid: number): { stop(): number } {
  let max = rssMbOf(pid);
  const timer = setInterval(() => { max = Math.max(max, rssMbOf(pid)); }, 100);
  return { stop() { clearInterval(timer); return Math.max(max, rssMbOf(pid)); } };
}
