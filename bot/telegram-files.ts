import type { Api } from 'grammy';
import type { Config } from '../config.js';

/** How the bot fetches a file's bytes from Telegram (tests put a fake at this process edge). */
export type FileFetch = (url: string) => Promise<Response>;

/** A file could not be fetched from Telegram; the message never contains the token-bearing URL. */
export class FileDownloadError extends Error {
  override name = 'FileDownloadError';
}

/**
 * The bytes of a file someone sent the bot: getFile, then a GET of
 * `<api root>/file/bot<token>/<file path>` (the Bot API's download URL),
 * refused past maxBytes. Throws FileDownloadError.
 */
export async function downloadFile(
  api: Api, config: Pick<Config, 'BOT_TOKEN' | 'TELEGRAM_API_ROOT'>, fileId: string,
  opts: { maxBytes: number; fetchFile?: FileFetch | undefined },
): Promise<Uint8Array> {
  const file = await api.getFile(fileId);
  if (!file.file_path) throw new FileDownloadError('Telegram gave no path for the file');
  if ((file.file_size ?? 0) > opts.maxBytes) throw new FileDownloadError('the file is too large');
  const url = `${config.TELEGRAM_API_ROOT.replace(/\/+$/, '')}/file/bot${config.BOT_TOKEN}/${file.file_path}`;
  const res = await (opts.fetchFile ?? fetch)(url);
  if (!res.ok) throw new FileDownloadError(`Telegram answered ${res.status} for the file`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.byteLength > opts.maxBytes) throw new FileDownloadError('the file is too large');
  return bytes;
}
