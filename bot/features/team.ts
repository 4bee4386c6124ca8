import { Composer } from 'grammy';
import type { TeamMember } from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import type { Texts } from '../texts/index.js';

const ROLE_ICON = { admin: '👑', manager: '🧭', agent: '👤' } as const;

function memberLine(t: Texts, m: TeamMember): string {
  const parts = [
    `${ROLE_ICON[m.role]} ${t.team.member(escapeHtml(m.fullName), t.roles[m.role], m.openLeads, m.capacity)}`,
    m.staleLeads > 0 ? t.team.stale(m.staleLeads) : null,
    m.firstContactMs === null ? null : t.followups.teamFirstContact(t.followups.duration(m.firstContactMs)),
    m.isAvailable ? null : t.team.off,
  ];
  return parts.filter(Boolean).join(' · ');
}

// Telegram refuses messages over 4096 characters; a very large team is cut, the totals still count everyone.
const MAX_CHARS = 3800;

/** The /team message: one line per active user, then the totals. */
export function renderTeam(t: Texts, members: TeamMember[], staleAfterDays: number): string {
  if (members.length === 0) return t.team.empty;
  const open = members.reduce((sum, m) => sum + m.openLeads, 0);
  const stale = members.reduce((sum, m) => sum + m.staleLeads, 0);
  const lines: string[] = [];
  let length = 0;
  for (const [i, m] of members.entries()) {
    const line = memberLine(t, m);
    if (length + line.length > MAX_CHARS) {
      lines.push(t.bulk.more(members.length - i));
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return [t.team.title(staleAfterDays), '', ...lines, '', t.team.total(open, stale)].join('\n');
}

/**
 * /team (§1, §4, §10; managers and admins): each active user's load against
 * capacity, their stale leads and who is /off. Core refuses agents.
 */
export function teamFeature({ core, config }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('team', async (ctx) => {
    const staleAfterDays = config.STALE_AFTER_DAYS;
    const members = await core.users.team(ctx.user);
    await ctx.reply(renderTeam(ctx.t, members, staleAfterDays), { parse_mode: 'HTML' });
  });

  return composer;
}
