import { describe, expect, it } from 'vitest';
import { defineCallbackData, int, oneOf } from '../../bot/callback-data/codec.js';
import { leadConfirmStageData, leadLostReasonData } from '../../bot/callback-data/lead.js';
import { en } from '../../bot/texts/en.js';
import { uk } from '../../bot/texts/uk.js';

describe('callback data codecs', () => {
  it('round-trips values and stays within 64 bytes at the largest ids', () => {
    const values = { stage: 'QUALIFIED', leadId: 2 ** 31 - 1, version: 2 ** 31 - 1 } as const;
    const data = leadConfirmStageData.pack(values);
    expect(data).toBe('lk1:QUALIFIED:2147483647:2147483647');
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(leadConfirmStageData.unpack(data)).toEqual(values);
    expect(leadConfirmStageData.filter.test(data)).toBe(true);
    const lost = leadLostReasonData.pack({ reason: 'competitor', leadId: 2 ** 31 - 1, version: 2 ** 31 - 1 });
    expect(Buffer.byteLength(lost)).toBeLessThanOrEqual(64);
  });

  it('returns null for anything malformed or from another version', () => {
    for (const bad of [
      undefined, '', 'lk1', 'lk1:QUALIFIED:1', 'lk1:QUALIFIED:1:2:3', 'lk1:LOST:1:2', 'lk1:QUALIFIED:-1:2',
      'lk1:QUALIFIED:1.5:2', 'lk1:QUALIFIED:01:2', 'lk1:QUALIFIED:99999999999999999:2', 'lk2:QUALIFIED:1:2',
      'LK1:QUALIFIED:1:2', `lk1:QUALIFIED:1:${'9'.repeat(60)}`,
    ]) {
      expect(leadConfirmStageData.unpack(bad)).toBeNull();
    }
  });

  it('refuses to pack more than Telegram accepts', () => {
    const codec = defineCallbackData('x1', { a: oneOf(['y'.repeat(70)]), b: int });
    expect(() => codec.pack({ a: 'y'.repeat(70), b: 1 })).toThrow(/64 bytes/);
  });
});

describe('texts', () => {
  const shape = (o: object): unknown => Object.fromEntries(Object.entries(o).map(([k, v]) =>
    [k, typeof v === 'object' && v !== null ? shape(v) : typeof v]));

  it('has the same keys and kinds of values in English and Ukrainian', () => {
    expect(shape(uk)).toEqual(shape(en));
  });
});
