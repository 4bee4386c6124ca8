import type { Transformer } from 'grammy';

/**
 * A Bot API that answers at once and keeps nothing (the tests' FakeTelegram
 * records every call, which a benchmark must not pay for).
 */
export const instantApi: Transformer = async (_prev, method, payload) => {
  const p = payload as Record<string, unknown>;
  const message = {
    message_id: Number(p.message_id ?? 1), date: 0, text: String(p.text ?? ''),
    chat: { id: Number(p.chat_id ?? 1), type: 'private', first_name: 'u' },
  };
  const result = method === 'sendMessage' || method.startsWith('edit') ? message : true;
  return { ok: true, result } as never;
};
