import type { LocaleModule } from '@lit/localize';

/** The locales ehr-kit ships. English is the source. */
export const sourceLocale = 'en';
/** The translations ehr-kit ships besides English. */
export const targetLocales = ['es'] as const;
/** A locale ehr-kit can show. */
export type EhrLocale = typeof sourceLocale | (typeof targetLocales)[number];

export type Templates = LocaleModule['templates'];
type Loader = () => Promise<{ templates: Templates }>;
export interface LocaleApi {
  getLocale: () => string;
  setLocale: (locale: string) => Promise<void>;
}

export interface I18nState {
  loaders: Map<string, Loader[]>;
  /** Merged templates per locale; the same object stays live so late registrations show up. */
  merged: Map<string, Promise<Templates>>;
  /**
   * @lit/localize's runtime, configured the first time a locale other than English is asked for
   * (until then `msg()` returns the English source as is, so an English page never loads it).
   */
  api?: Promise<LocaleApi>;
  /** The same, once loaded (getEhrLocale() is synchronous). */
  ready?: LocaleApi;
  /** Locales providers asked for, by provider, latest last; the latest wins over `<html lang>`. */
  pins: Map<object, string>;
  observer?: MutationObserver;
  /** The host called setEhrLocale() before any element connected. */
  explicit?: boolean;
}

// v2: the shape changed when the runtime became lazy; an older copy on the page keeps its own state.
const KEY = Symbol.for('ehr-kit.i18n.v2');
// This copy's own Spanish templates, registered with the page-wide state on first use (not at
// import: importing core has no side effects).
let coreRegistered = false;

/** The page-wide i18n state (one per page, shared by library copies); i18n-runtime.ts configures it. */
export function i18nState(): I18nState {
  const g = globalThis as unknown as Record<symbol, I18nState | undefined>;
  const s = (g[KEY] ??= { loaders: new Map(), merged: new Map(), pins: new Map() });
  if (!coreRegistered) {
    coreRegistered = true;
    registerTranslations('es', () => import('./locales/es.js'));
  }
  return s;
}

/**
 * Registers a package's translations for a locale, loaded only when that locale is used:
 * `registerTranslations('es', () => import('./locales/es.js'))`. Safe to call at any time: if
 * the locale is already showing, the templates are merged in and elements re-render.
 */
export function registerTranslations(locale: string, loader: Loader): void {
  const s = i18nState();
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
      if (s.ready?.getLocale() === locale) {
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
  return (i18nState().ready?.getLocale() ?? sourceLocale) as EhrLocale;
}

/**
 * Switches every ehr-kit element to `locale` (any tag; `es-MX` → `es`). Resolves when the
 * translations are loaded and a re-render is scheduled.
 */
export function setEhrLocale(locale: string): Promise<void> {
  const s = i18nState();
  if (!s.observer) s.explicit = true;
  return apply(locale);
}

function apply(tag: string): Promise<void> {
  const s = i18nState();
  const locale = normalizeLocale(tag);
  // English needs no runtime until another locale was asked for (then the switch back is queued
  // behind it, in order).
  if (!s.api && locale === sourceLocale) return Promise.resolve();
  // The runtime and its setup load with the first switch away from English (i18n-runtime.ts).
  return (s.api ??= import('./i18n-runtime.js').then((m) => m.localeApi(s))).then((api) => api.setLocale(locale));
}

/**
 * Starts following `<html lang>` (once per page). Called by every ehr-kit element on connect.
 * A provider's `lang` pins the locale (see `pinEhrLocale`).
 */
export function followDocumentLocale(): void {
  const s = i18nState();
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
export function pinEhrLocale(locale: string | undefined, owner: object = i18nState): Promise<void> {
  const pins = i18nState().pins;
  pins.delete(owner);
  if (locale) pins.set(owner, locale);
  return apply([...pins.values()].pop() ?? document.documentElement.lang);
}
