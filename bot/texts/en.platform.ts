/** Texts of /api (JSON API credentials and keys) and /webhooks (outbound events), in English. */
export const enPlatform = {
  api: {
    title: (base: string, docs: string) => `🔌 <b>JSON API</b>\nBase URL: <code>${base}</code>\nDocs: ${docs}`,
    howTo: 'Tap 🔑 for a sign-in. Send the access token as <code>Authorization: Bearer …</code>; when it expires, ' +
      'POST the refresh token to <code>/auth/refresh</code> for new ones (each refresh token works once).',
    newToken: '🔑 New sign-in',
    signOut: '🚪 Sign out everywhere',
    issued: (access: string, refresh: string, minutes: number) =>
      `🔑 <b>Your API sign-in</b> (keep it secret; delete this message once copied)\n\n` +
      `Access token (${minutes} min):\n<code>${access}</code>\n\nRefresh token:\n<code>${refresh}</code>`,
    signedOut: (n: number) => `🚪 Signed out: ${n} sign-in${n === 1 ? '' : 's'} revoked.`,
    keysTitle: '🗝 <b>API keys</b> (for integrations)',
    noKeys: 'No keys yet.',
    key: (name: string, role: string, prefix: string, lastUse: string) => `• <b>${name}</b> · ${role} · <code>${prefix}…</code> · last use: ${lastUse}`,
    keyRevoked: (name: string, at: string) => `• <s>${name}</s> · revoked ${at}`,
    never: 'never',
    keyHelp: 'New key: <code>/api key &lt;agent|manager|admin&gt; &lt;name&gt;</code>',
    revoke: (name: string) => `🚫 ${name}`,
    keyCreated: (name: string, role: string, key: string) =>
      `🗝 Key <b>${name}</b> (${role}) — shown only now:\n<code>${key}</code>`,
    keyUsage: 'Usage: <code>/api key &lt;agent|manager|admin&gt; &lt;name&gt;</code>',
    keyRevokedToast: 'Key revoked',
  },
  webhooks: {
    title: '📡 <b>Outbound webhooks</b>',
    empty: 'No subscriptions yet.',
    help: (events: string) => `Subscribe: <code>/webhooks add &lt;https URL&gt; [events]</code>\nEvents (comma-separated; default all): ${events}`,
    line: (id: number, url: string, state: string, pending: number, failed: number) =>
      `<b>#${id}</b> ${url}\n   ${state} · waiting ${pending} · failed ${failed}`,
    active: '🟢 on',
    failing: (status: string) => `🔴 failing (last: ${status})`,
    off: '⏸ off',
    gone: '⛔ off (the receiver answered 410 Gone)',
    noAnswer: 'no answer',
    open: (id: number) => `#${id}`,
    detail: (id: number, url: string, events: string, state: string) => `📡 <b>Webhook #${id}</b>\n${url}\nEvents: ${events}\n${state}`,
    failedTitle: 'Failed deliveries:',
    noFailed: 'No failed deliveries.',
    failedLine: (n: number, type: string, status: string, attempts: number, at: string, why: string) =>
      `${n}. ${type} · ${status} · ${attempts} tr${attempts === 1 ? 'y' : 'ies'} · ${at}${why ? `\n   ${why}` : ''}`,
    replay: (n: number) => `🔁 ${n}`,
    replayAll: (n: number) => `🔁 All (${n})`,
    ping: '📡 Ping',
    turnOff: '⏸ Off',
    turnOn: '▶️ On',
    back: '◀️ Webhooks',
    replayed: (n: number) => `🔁 ${n} queued again`,
    pinged: (result: string) => `📡 Ping: ${result}`,
    result: (status: number | null, ms: number, error: string | null) =>
      status !== null ? `HTTP ${status} in ${ms} ms` : `no answer (${error ?? 'error'})`,
    created: (id: number, secret: string, ping: string) =>
      `✅ Subscribed (#${id}). Signing secret (Standard Webhooks), shown only now:\n<code>${secret}</code>\n\nTest ping: ${ping}`,
    badUrl: '⚠️ This URL cannot be subscribed: it must be a full https:// address (http only outside production) that is not a loopback or private address, with no user name or password.',
    badEvents: (events: string) => `⚠️ Unknown event. Choose from: ${events}`,
    usage: 'Usage: <code>/webhooks add &lt;https URL&gt; [event,event]</code>',
  },
};
