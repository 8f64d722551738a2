import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * Design tokens: name → [light, dark]. Set any `--ehr-<name>` on a page, a provider or an
 * element to theme it; elements read the resolved value as `var(--_<name>)`.
 */
export const tokenTable = {
  'color-text': ['#1b1f24', '#e8eaed'],
  'color-text-muted': ['#4f5761', '#aab2bb'],
  'color-surface': ['#ffffff', '#16181c'],
  'color-surface-alt': ['#f3f5f7', '#22262c'],
  'color-border': ['#7d8590', '#7d8590'],
  'color-primary': ['#0b5cad', '#7cbcff'],
  'color-on-primary': ['#ffffff', '#0a1a2b'],
  'color-focus': ['#0b5cad', '#7cbcff'],
  'color-danger': ['#b3261e', '#ff9a8f'],
  'color-danger-surface': ['#fdeceb', '#3a1714'],
  'color-success': ['#17692e', '#6fdc8c'],
  'color-success-surface': ['#e7f5ea', '#11301a'],
  'color-warning': ['#7a4f00', '#f0c060'],
  'color-warning-surface': ['#fff4d6', '#33280b'],
  'color-skeleton': ['#e3e7eb', '#2d3138'],
  'space-1': ['0.25rem'],
  'space-2': ['0.5rem'],
  'space-3': ['0.75rem'],
  'space-4': ['1rem'],
  'space-5': ['1.5rem'],
  'space-6': ['2rem'],
  'radius-s': ['4px'],
  'radius-m': ['8px'],
  'radius-l': ['12px'],
  'font-family': ['system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'],
  'font-size-s': ['0.875rem'],
  'font-size-m': ['1rem'],
  'font-size-l': ['1.25rem'],
  'font-weight-strong': ['600'],
  'line-height': ['1.5'],
} as const satisfies Record<string, readonly [string, string?]>;

type Scheme = 0 | 1;
const names = Object.keys(tokenTable) as (keyof typeof tokenTable)[];
const value = (n: keyof typeof tokenTable, s: Scheme): string => {
  const v = tokenTable[n] as readonly string[];
  return v[s] ?? v[0]!;
};
/** `--_x: var(--ehr-x, default)` for every token (only colour tokens change with the scheme). */
const resolved = (s: Scheme, colorsOnly = false) =>
  names
    .filter((n) => !colorsOnly || n.startsWith('color'))
    .map((n) => `--_${n}:var(--ehr-${n},${value(n, s)});`)
    .join('');
/** `--ehr-x: value` assignments, inherited by every element below (provider `theme`). */
const publicTokens = (s: Scheme) =>
  names.filter((n) => n.startsWith('color')).map((n) => `--ehr-${n}:${value(n, s)};`).join('');

/**
 * The tokens every element resolves on its host: light by default, dark under
 * `prefers-color-scheme: dark` or `theme="dark"` on the element (`theme="light"` forces light).
 */
export const tokens: CSSResult = /* @__PURE__ */ unsafeCSS(
  `:host{${resolved(0)}color-scheme:light dark}` +
    `@media (prefers-color-scheme:dark){:host(:not([theme=light])){${resolved(1, true)}}}` +
    `:host([theme=dark]){${resolved(1, true)}color-scheme:dark}:host([theme=light]){color-scheme:light}`,
);

/**
 * For `<ehr-provider>`: `theme="dark"|"light"` sets the public colour tokens, so every element
 * inside follows the provider's choice over the system's.
 */
export const themeStyles: CSSResult = /* @__PURE__ */ unsafeCSS(
  `:host([theme=dark]){${publicTokens(1)}}:host([theme=light]){${publicTokens(0)}}`,
);

// esbuild ignores @__PURE__ on a tagged template, so each piece is a pure IIFE: a bundle that
// does not use a piece (the provider: no inputs, no skeletons) drops it.

/** Host typography and colours, `[hidden]`, box-sizing, the focus ring, `.visually-hidden`. */
export const hostStyles: CSSResult = /* @__PURE__ */ (() => css`
:host{font-family:var(--_font-family);font-size:var(--_font-size-m);line-height:var(--_line-height);color:var(--_color-text);background:var(--_color-surface);box-sizing:border-box}
:host([hidden]){display:none !important}
*,*::before,*::after{box-sizing:inherit}
:focus-visible{outline:3px solid var(--_color-focus);outline-offset:2px}
.visually-hidden:not(:focus):not(:active){position:absolute !important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap;border:0}
`)();

/** `.btn` (+ `.btn-primary`, `.btn-link`): 44px targets, disabled look. */
export const buttonStyles: CSSResult = /* @__PURE__ */ (() => css`
.btn{display:inline-flex;align-items:center;justify-content:center;gap:var(--_space-2);min-height:2.75rem;min-width:2.75rem;padding:var(--_space-2) var(--_space-4);font:inherit;font-weight:var(--_font-weight-strong);cursor:pointer;color:var(--_color-primary);background:var(--_color-surface);border:1px solid var(--_color-primary);border-radius:var(--_radius-m)}
.btn:hover{background:var(--_color-surface-alt)}
.btn-primary{color:var(--_color-on-primary);background:var(--_color-primary)}
.btn-primary:hover{background:var(--_color-primary);filter:brightness(1.1)}
.btn-link{border-color:transparent;background:none;text-decoration:underline;padding-inline:var(--_space-1)}
.btn:disabled,.btn[aria-disabled='true']{cursor:not-allowed;opacity:0.6}
`)();

/** `.input`: text inputs and selects, with the invalid look. */
export const inputStyles: CSSResult = /* @__PURE__ */ (() => css`
.input{display:block;width:100%;min-height:2.75rem;padding:var(--_space-2) var(--_space-3);font:inherit;color:var(--_color-text);background:var(--_color-surface);border:1px solid var(--_color-border);border-radius:var(--_radius-s)}
.input[aria-invalid='true']{border-color:var(--_color-danger);border-width:2px}
`)();

/** `.skeleton`: loading placeholders (still under reduced motion). */
export const skeletonStyles: CSSResult = /* @__PURE__ */ (() => css`
.skeleton{display:block;min-height:1em;border-radius:var(--_radius-s);background:var(--_color-skeleton);animation:ehr-pulse 1.5s ease-in-out infinite}
.skeleton+.skeleton{margin-top:var(--_space-2)}
.skeleton:last-child:not(:only-of-type){width:60%}
@keyframes ehr-pulse{50%{opacity:0.5}
}
@media (prefers-reduced-motion:reduce){.skeleton{animation:none}
}
`)();

/** `.alert` (+ `.alert-error`, `.alert-success`, `.alert-warning`) and `.muted`. */
export const alertStyles: CSSResult = /* @__PURE__ */ (() => css`
.alert{padding:var(--_space-3) var(--_space-4);border-radius:var(--_radius-m);border:1px solid var(--_color-border);background:var(--_color-surface-alt);color:var(--_color-text)}
.alert-error{border-color:var(--_color-danger);background:var(--_color-danger-surface)}
.alert-success{border-color:var(--_color-success);background:var(--_color-success-surface)}
.alert-warning{border-color:var(--_color-warning);background:var(--_color-warning-surface)}
.alert>:first-child{margin-top:0}
.alert>:last-child{margin-bottom:0}
.muted{color:var(--_color-text-muted)}
`)();

/**
 * Shared base: tokens, typography, focus ring, `.visually-hidden`, `.btn` (+ `.btn-primary`,
 * `.btn-link`), `.input`, `.skeleton`, `.alert` (+ `.alert-error`, `.alert-success`,
 * `.alert-warning`). Put first in an element's `static styles`. The same rules, in the same
 * order, as the pieces above: code that needs only some of them (the provider) takes those.
 */
export const baseStyles: CSSResult[] = [tokens, hostStyles, buttonStyles, inputStyles, skeletonStyles, alertStyles];
