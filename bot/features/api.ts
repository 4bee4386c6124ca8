import { Composer } from 'grammy';
import { can, ROLES, type Role } from '../../core/index.js';
import { apiKeyRevokeData, apiSignOutData, apiTokenData } from '../callback-data/platform.js';
import { setAnswer } from '../callback-answer.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { editTapped, sendView } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { renderApi } from '../views/platform.view.js';

/**
 * /api (§16): every active user gets JSON API credentials here (🔑 a new
 * sign-in, 🚪 sign out everywhere); admins also see, issue
 * (`/api key <role> <name>`) and revoke API keys. Core issues and checks
 * everything; these buttons prove nothing.
 */
export function apiFeature({ core, config }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();
  const base = new URL(config.PUBLIC_URL);
  const baseUrl = new URL('/api/v1', base).toString();
  const docsUrl = new URL('/api/docs', base).toString();
  const screen = async (ctx: ActiveContext, notice?: string) => renderApi(ctx.t, {
    baseUrl, docsUrl, keys: can(ctx.user, 'api.keys') ? await core.api.listKeys(ctx.user) : null,
  }, notice);

  composer.command('api', async (ctx) => {
    const [sub, role, ...name] = ctx.match.trim().split(/\s+/);
    if (sub === 'key') {
      if (!can(ctx.user, 'api.keys')) return void await ctx.reply(ctx.t.access.adminsOnly);
      if (!role || !ROLES.includes(role as Role) || !name.length) return void await ctx.reply(ctx.t.api.keyUsage, { parse_mode: 'HTML' });
      const { key, info } = await core.api.createKey(ctx.user, { name: name.join(' '), role: role as Role });
      ctx.log.info({ api_key_id: info.id, role: info.role }, 'api_key_created');
      await ctx.reply(ctx.t.api.keyCreated(escapeHtml(info.name), ctx.t.roles[info.role], key), { parse_mode: 'HTML' });
      return;
    }
    await sendView(ctx.api, ctx.chat.id, await screen(ctx));
  });

  onCallback(composer, apiTokenData, core, async (ctx) => {
    const tokens = await core.api.issueTokens(ctx.user);
    ctx.log.info({ user_id: ctx.user.id }, 'api_tokens_issued');
    // A message of its own: the screen stays, and the person can delete this one once copied.
    await ctx.reply(ctx.t.api.issued(tokens.access_token, tokens.refresh_token, Math.round(tokens.expires_in / 60)), { parse_mode: 'HTML' });
  });

  onCallback(composer, apiSignOutData, core, async (ctx) => {
    const n = await core.api.revokeMine(ctx.user);
    ctx.log.info({ user_id: ctx.user.id, revoked: n }, 'api_signed_out');
    await editTapped(ctx, await screen(ctx, ctx.t.api.signedOut(n)));
  });

  onCallback(composer, apiKeyRevokeData, core, async (ctx, data) => {
    await core.api.revokeKey(ctx.user, data.id);
    ctx.log.info({ api_key_id: data.id }, 'api_key_revoked');
    setAnswer(ctx, ctx.t.api.keyRevokedToast);
    await editTapped(ctx, await screen(ctx));
  });
  return composer;
}
