import { UnprocessableError } from '../errors.js';

/**
 * The text fields of a multipart/form-data body (§11: Jotform posts one),
 * in order, as [name, value]. File parts are skipped: a form webhook needs
 * the answers, and the body is capped at 64 KB before it gets here.
 * Throws UnprocessableError when there is no boundary or no part.
 */
export function multipartFields(rawBody: string, contentType: string): [string, string][] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) throw new UnprocessableError('multipart/form-data without a boundary');
  const delimiter = `--${mark}`;
  const fields: [string, string][] = [];
  const chunks = rawBody.split(delimiter);
  // chunks[0] is the preamble; a chunk starting with "--" is the closing delimiter.
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const part = chunk.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
    const split = /\r?\n\r?\n/.exec(part);
    if (!split) continue;
    const headers = part.slice(0, split.index);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined || /\bfilename\*?=/i.test(disposition)) continue;
    fields.push([name, part.slice(split.index + split[0].length)]);
  }
  if (!fields.length && !chunks.slice(1).some((c) => !c.startsWith('--'))) {
    throw new UnprocessableError('multipart/form-data body has no parts');
  }
  return fields;
}
