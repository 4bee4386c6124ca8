/**
 * "5 files", "21 файл", "3 файли", "5 файлів": a count with the noun in
 * the plural form its language needs for it (Intl.PluralRules: English has
 * one/other; Ukrainian one/few/many, plus other for fractions).
 */
export function plurals(locale: string) {
  const rules = new Intl.PluralRules(locale);
  return (n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }): string =>
    `${n} ${forms[rules.select(n)] ?? forms.other}`;
}
