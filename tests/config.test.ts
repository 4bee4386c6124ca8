import { describe, expect, it } from 'vitest';
import { ConfigError, createConfig } from '../config.js';

describe('DEFAULT_COUNTRY (§2: phones typed without a country code)', () => {
  it('is optional, with no default', () => {
    expect(createConfig({}).DEFAULT_COUNTRY).toBeUndefined();
    expect(createConfig({ DEFAULT_COUNTRY: '' }).DEFAULT_COUNTRY).toBeUndefined();
  });

  it('takes an ISO 3166-1 alpha-2 code the phone library knows, in either case', () => {
    expect(createConfig({ DEFAULT_COUNTRY: 'UA' }).DEFAULT_COUNTRY).toBe('UA');
    expect(createConfig({ DEFAULT_COUNTRY: ' de ' }).DEFAULT_COUNTRY).toBe('DE');
  });

  it.each(['UKR', 'XX', 'U', 'EU'])('refuses %j on boot, naming the variable', (value) => {
    expect(() => createConfig({ DEFAULT_COUNTRY: value })).toThrow(ConfigError);
    expect(() => createConfig({ DEFAULT_COUNTRY: value })).toThrow(/DEFAULT_COUNTRY/);
  });
});
