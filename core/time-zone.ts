/**
 * IANA time zones (e.g. "Europe/Kyiv"), checked by the runtime's own
 * tz database, which is what later formats the times: a zone accepted here
 * always formats. Used for TEAM_TIMEZONE and each user's override (§1).
 */

let known: Map<string, string> | null = null;

/**
 * The zone as it should be stored ("america/new_york" → "America/New_York";
 * a valid spelling the runtime's list lacks, like "Europe/Kyiv" or "UTC",
 * is kept as given), or null when it is not a zone.
 */
export function canonicalTimeZone(name: string): string | null {
  const trimmed = name.trim();
  // Offsets like "+02:00" format too, but shift wrongly across daylight saving: zones only.
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(trimmed)) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: trimmed });
  } catch {
    return null;
  }
  known ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  return known.get(trimmed.toLowerCase()) ?? trimmed;
}
