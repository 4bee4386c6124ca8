import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../poll.js';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy.js';

// The proxy in front of the real PostgreSQL: what a fault test relies on when
// it "restarts" or "freezes" the database under the app.

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('the TCP proxy in front of PostgreSQL', () => {
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = new URL(databaseUrl!);
    proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('after cut() queries fail; after restore() they succeed again on the same URL', async () => {
    const url = proxy.urlFor(databaseUrl!);
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000 });
    const idleErrors: Error[] = [];
    pool.on('error', (err) => idleErrors.push(err)); // the idle client learns of the cut this way
    try {
      expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      expect(proxy.connections()).toBe(1);

      proxy.cut();
      expect(proxy.connections()).toBe(0);
      await expect(pool.query('select 1')).rejects.toThrow();
      await expect(pool.query('select 1')).rejects.toThrow(); // a fresh connection is reset too

      await proxy.restore();
      expect(proxy.urlFor(databaseUrl!)).toBe(url);
      expect((await pool.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await pool.end();
    }
  });

  it('freeze() makes a query hang until thaw()', async () => {
    const url = proxy.urlFor(databaseUrl!);
    const bounded = new pg.Client({ connectionString: url, query_timeout: 300 });
    const patient = new pg.Client({ connectionString: url, query_timeout: 5000 });
    await bounded.connect();
    await patient.connect();
    try {
      proxy.freeze();
      await expect(bounded.query('select 1')).rejects.toThrow('Query read timeout');

      const answer = patient.query('select 42 as answer');
      // Held at the proxy, not lost: the query's bytes wait there for thaw().
      await pollUntil(() => (proxy.heldBytes() > 0 ? true : undefined), { what: 'the proxy to hold the query' });
      expect(proxy.connections()).toBe(2);
      proxy.thaw();
      expect((await answer).rows).toEqual([{ answer: 42 }]);
    } finally {
      proxy.thaw();
      await bounded.end();
      await patient.end();
    }
  });
});
