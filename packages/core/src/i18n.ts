import { configureLocalization } from '@lit/localize';
import type { LocaleModule } from '@lit/localize';

/** The locales ehr-kit ships. English is the source. */
export const sourceLocale = 'en';
/** The translations ehr-kit ships besides English. */
export const targetLocales = ['es'] as const;
/** A locale ehr-kit can show. */
export type EhrLocale = typeof sourceLocale | (typeof targetLocales)[number];

type Templates = LocaleModule['templates'];
type Loader = () => Promise<{ templates: Templates }>;

interface I18nState {
  loaders: Map<string, Loader[]>;
  /** Merged templates per locale; the same object stays live so late registrations show up. */
  merged: Map<string, Promise<Templates>>;
  getLocale: () => string;
  setLocale: (locale: string) => Promise<void>;
  /** Locales providers asked for, by provider, latest last; the latest wins over `<html lang>`. */
  pins: Map<object, string>;
  observer?: MutationObserver;
  /** The host called setEhrLocale() before any element connected. */
  explicit?: boolean;
}

const KEY = Symbol.for('ehr-kit.i18n');

function state(): I18nState {
  const g = globalThis as unknown as Record<symbol, I18nState | undefined>;
  let s = g[KEY];
  if (!s) {
    const loaders = new Map<string, Loader[]>();
    const merged = new Map<string, Promise<Templates>>();
    let api: { getLocale: () => string; setLocale: (l: string) => Promise<void> };
    try {
      api = configureLocalization({
        sourceLocale,
        targetLocales,
        loadLocale: async (locale) => ({ templates: await loadMerged(locale) }),
      });
    } catch (error) {
      // Someone else on the page configured @lit/localize first; we can render, not switch.
      console.warn('[ehr-kit] @lit/localize was configured elsewhere; ehr-kit stays in English.', error);
      api = { getLocale: () => sourceLocale, setLocale: async () => {} };
    }
    s = g[KEY] = { loaders, merged, pins: new Map(), ...api };
  }
  return s;
}

function loadMerged(locale: string): Promise<Templates> {
  const s = state();
  let p = s.merged.get(locale);
  if (!p) {
    p = Promise.all((s.loaders.get(locale) ?? []).map((l) => l())).then((mods) =>
      Object.assign({}, ...mods.map((m) => m.templates)),
    );
    s.merged.set(locale, p);
  }
  return p;
}

/**
 * Registers a package's translations for a locale, loaded only when that locale is used:
 * `registerTranslations('es', () => import('./locales/es.js'))`. Safe to call at any time: if
 * the locale is already showing, the templates are merged in and elements re-render.
 */
export function registerTranslations(locale: string, loader: Loader): void {
  const s = state();
  const list = s.loaders.get(locale) ?? [];
  if (list.includes(loader)) return;
  list.push(loader);
  s.loaders.set(locale, list);
  const current = s.merged.get(locale);
  if (!current) return;
  // Already loaded: fold the new templates into the live object lit-localize holds.
  s.merged.set(
    locale,
    current.then(async (templates) => {
      Object.assign(templates, (await loader()).templates);
      if (s.getLocale() === locale) {
        window.dispatchEvent(new CustomEvent('lit-localize-status', { detail: { status: 'ready', readyLocale: locale } }));
      }
      return templates;
    }),
  );
}

/** Maps any BCP 47 tag (`es-MX`, `EN`) to a shipped locale; unknown → English. */
export function normalizeLocale(tag: string | null | undefined): EhrLocale {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (targetLocales as readonly string[]).includes(base!) ? (base as EhrLocale) : sourceLocale;
}

/** The active locale. */
export function getEhrLocale(): EhrLocale {
  return state().getLocale() as EhrLocale;
}

/**
 * Switches every ehr-kit element to `locale` (any tag; `es-MX` → `es`). Resolves when the
 * translations are loaded and a re-render is scheduled.
 */
export function setEhrLocale(locale: string): Promise<void> {
  const s = state();
  if (!s.observer) s.explicit = true;
  return apply(locale);
}

const apply = (locale: string) => state().setLocale(normalizeLocale(locale));

/**
 * Starts following `<html lang>` (once per page). Called by every ehr-kit element on connect.
 * A provider's `lang` pins the locale (see `pinEhrLocale`).
 */
export function followDocumentLocale(): void {
  const s = state();
  if (s.observer || typeof document === 'undefined') return;
  const follow = () => {
    if (!s.pins.size) void apply(document.documentElement.lang);
  };
  s.observer = new MutationObserver(follow);
  s.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  // A locale the host chose before the first element connected is not overridden; later
  // changes of <html lang> still apply.
  if (!s.explicit) follow();
}

/**
 * Pins the locale for `owner` (a provider's `lang`) over `<html lang>`; `undefined` unpins it.
 * With several pins the latest wins; unpinning falls back to the previous one, then `<html lang>`.
 */
export function pinEhrLocale(locale: string | undefined, owner: object = state): Promise<void> {
  const pins = state().pins;
  pins.delete(owner);
  if (locale) pins.set(owner, locale);
  return apply([...pins.values()].pop() ?? document.documentElement.lang);
}

// Core's own Spanish templates.
registerTranslations('es', () => import('./locales/es.js'));
