import type { BoardTexts } from './texts.js';

/**
 * The questions a move asks before it is sent (§3): why a lead is lost (a
 * preset reason or typed text) and why it goes back a stage (typed, at
 * least `min` characters). Resolves null when cancelled.
 */
export function askReason(t: BoardTexts, p: { title: string; presets: string[]; min: number }): Promise<{ code?: string; text?: string } | null> {
  return new Promise((resolve) => {
    const shade = el('div', 'shade');
    const box = el('div', 'dialog');
    box.setAttribute('role', 'dialog');
    const title = el('p', 'dialog-title');
    title.textContent = p.title;
    box.append(title);
    const done = (value: { code?: string; text?: string } | null) => { shade.remove(); resolve(value); };
    for (const code of p.presets) {
      const b = el('button', 'preset');
      b.textContent = t.lostReasons[code] ?? code;
      b.dataset.reason = code;
      b.onclick = () => done({ code });
      box.append(b);
    }
    const input = el('textarea', 'reason') as HTMLTextAreaElement;
    input.placeholder = p.presets.length ? t.otherReason : '';
    input.rows = 2;
    const ok = el('button', 'ok') as HTMLButtonElement;
    ok.textContent = t.ok;
    const check = () => { ok.disabled = input.value.trim().length < Math.max(p.min, 1); };
    input.oninput = check;
    check();
    ok.onclick = () => done({ text: input.value.trim() });
    const cancel = el('button', 'cancel');
    cancel.textContent = t.cancel;
    cancel.onclick = () => done(null);
    const row = el('div', 'dialog-buttons');
    row.append(cancel, ok);
    box.append(input, row);
    shade.append(box);
    document.body.append(shade);
    if (!p.presets.length) input.focus();
  });
}

export function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

let toastTimer: number | undefined;
/** A short message at the bottom (a refusal's reason, a confirmation). */
export function toast(text: string, kind: 'error' | 'ok' = 'ok'): void {
  document.querySelector('.toast')?.remove();
  const node = el('div', `toast ${kind}`);
  node.setAttribute('role', 'status');
  node.textContent = text;
  document.body.append(node);
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => node.remove(), 4000);
}
