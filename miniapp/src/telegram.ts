/**
 * The little of Telegram's Mini App bridge the board needs, without loading
 * telegram-web-app.js from Telegram's servers: the launch parameters Telegram
 * puts in the URL's hash (init data, theme), the theme applied as CSS
 * variables (light or dark, live on theme_changed), and the ready/expand
 * events.
 */

export interface ThemeParams {
  bg_color?: string; text_color?: string; hint_color?: string; link_color?: string; button_color?: string;
  button_text_color?: string; secondary_bg_color?: string; destructive_text_color?: string;
}

export interface LaunchParams { initData: string; theme: ThemeParams }

declare global {
  interface Window {
    TelegramWebviewProxy?: { postEvent(type: string, data: string): void };
    Telegram?: { WebApp?: { initData?: string; themeParams?: ThemeParams } };
  }
}

/** Reads what Telegram passed at launch (the hash survives reloads; sessionStorage covers in-app navigation). */
export function launchParams(): LaunchParams {
  const hash = new URLSearchParams(location.hash.slice(1));
  const initData = hash.get('tgWebAppData') ?? window.Telegram?.WebApp?.initData ?? sessionStorage.getItem('tgWebAppData') ?? '';
  if (initData) sessionStorage.setItem('tgWebAppData', initData);
  let theme: ThemeParams = window.Telegram?.WebApp?.themeParams ?? {};
  try {
    const raw = hash.get('tgWebAppThemeParams');
    if (raw) theme = JSON.parse(raw) as ThemeParams;
  } catch { /* a theme we cannot read leaves the defaults */ }
  return { initData, theme };
}

/** Sends an event to the Telegram client: the mobile apps' proxy, or the parent frame of Telegram Web. */
export function postEvent(type: string, data: Record<string, unknown> = {}): void {
  const json = JSON.stringify(data);
  if (window.TelegramWebviewProxy) return window.TelegramWebviewProxy.postEvent(type, json);
  if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), '*');
}

const isDark = (hex: string | undefined): boolean => {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  if (!m) return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((x) => parseInt(x, 16));
  return 0.299 * r! + 0.587 * g! + 0.114 * b! < 128;
};

/** Telegram's colours as CSS variables; the scheme (light/dark) fills what a client does not send. */
export function applyTheme(theme: ThemeParams): void {
  const dark = isDark(theme.bg_color);
  const fallback: Required<ThemeParams> = dark
    ? { bg_color: '#17212b', text_color: '#f5f5f5', hint_color: '#708499', link_color: '#6ab3f3', button_color: '#5288c1',
      button_text_color: '#ffffff', secondary_bg_color: '#232e3c', destructive_text_color: '#ec3942' }
    : { bg_color: '#ffffff', text_color: '#000000', hint_color: '#999999', link_color: '#2481cc', button_color: '#2481cc',
      button_text_color: '#ffffff', secondary_bg_color: '#f1f1f1', destructive_text_color: '#cc2929' };
  const root = document.documentElement;
  for (const [key, value] of Object.entries({ ...fallback, ...theme })) {
    root.style.setProperty(`--tg-${key.replace(/_/g, '-')}`, String(value));
  }
  root.dataset.scheme = dark ? 'dark' : 'light';
}

/** theme_changed from Telegram (the user switched to night mode with the board open). */
export function onThemeChanged(apply: (theme: ThemeParams) => void): void {
  window.addEventListener('message', (event) => {
    try {
      const message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
      if (message?.eventType === 'theme_changed' && message.eventData?.theme_params) apply(message.eventData.theme_params);
    } catch { /* not Telegram's */ }
  });
}
