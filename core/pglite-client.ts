import type { PGlite } from '@electric-sql/pglite';

/** PostgreSQL's type id of int8 (COUNT, bigint ids), parsed to numbers on both databases. */
export const INT8_OID = 20;

/**
 * A PGlite instance as the app opens it: in `dataDir` (absent: in memory),
 * int8 parsed to numbers, pg_trgm loadable (/find). PGlite itself is loaded
 * here, on first use: a deployment on PostgreSQL never pays its memory or
 * start-up. Throws what PGlite throws.
 */
export async function openPgliteClient(dataDir: string | undefined): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8_OID]: (v: string) => Number(v) },
    extensions: { pg_trgm },
  });
}
