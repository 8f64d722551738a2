// The locale-switching half of i18n.ts, loaded the first time a locale other than English is
// asked for (an English page never loads it): @lit/localize's runtime, configured once per page.
import { configureLocalization } from '@lit/localize/init/runtime.js';
import { sourceLocale, targetLocales, type I18nState, type LocaleApi, type Templates } from './i18n.js';

/** Configures @lit/localize's runtime for the page-wide state `s` (called once, through `s.api`). */
export function localeApi(s: I18nState): LocaleApi {
  try {
    s.ready = configureLocalization({
      sourceLocale,
      targetLocales,
      loadLocale: async (locale) => ({ templates: await loadMerged(s, locale) }),
    });
  } catch (error) {
    // Someone else on the page configured @lit/localize first; we can render, not switch.
    console.warn('[ehr-kit] @lit/localize was configured elsewhere; ehr-kit stays in English.', error);
    s.ready = { getLocale: () => sourceLocale, setLocale: async () => {} };
  }
  return s.ready;
}

/** Every registered package's templates for `locale`, merged into one live object (see registerTranslations). */
function loadMerged(s: I18nState, locale: string): Promise<Templates> {
  let p = s.merged.get(locale);
  if (!p) {
    p = Promise.all((s.loaders.get(locale) ?? []).map((l) => l())).then((mods) => Object.assign({}, ...mods.map((m) => m.templates)));
    s.merged.set(locale, p);
  }
  return p;
}
