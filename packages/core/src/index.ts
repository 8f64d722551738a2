/**
 * @ehr-kit/core: the shared context, `<ehr-provider>`, the `EhrElement` base, styles, form
 * helpers, formatting and i18n every ehr-kit element builds on. No side effects: import
 * `@ehr-kit/core/define` to register `<ehr-provider>`.
 */
export { fhirClientContext, authStateContext, launchContext, ensureContextRoot } from './context.js';
export { EhrElement, clientFor } from './ehr-element.js';
export { EhrBase } from './ehr-base.js';
export { EhrProvider, type AuthMode } from './provider.js';
export { define } from './define-element.js';
export { chunk, prefetch, ChunkLoadError, type Chunk } from './chunk.js';
export { emitEhrEvent, type EhrEventMap, type EhrEvent } from './events.js';
export { describeError, isAbort, issuesByExpression, fieldKey, NoServerError, type UserMessage } from './errors.js';
export { renderState, renderLoading, renderEmpty, renderError, type StateRenderers } from './status.js';
export {
  tokens, baseStyles, themeStyles, tokenTable, hostStyles, buttonStyles, inputStyles, skeletonStyles, alertStyles,
} from './styles.js';
export {
  renderField, renderFieldset, renderErrorSummary, focusErrorSummary, fieldIds, fieldStyles,
  type FieldOptions, type FieldControlAttrs, type SummaryError,
} from './forms.js';
export {
  formatHumanName, pickName, formatDateTime, formatDate, formatTime, formatFhirDate, zoneName, dayKey, addDays,
  zoneOffsetMinutes, zonedTimeToInstant, startOfDay, formatQuantity, ucumDisplay, intlLocale,
  zoneOffset, wallTime, wallTimeToMs, today, daysBetween, isDayKey, hoursInDay, isValidTimeZone, browserTimeZone,
  type NameFormatOptions, type DateTimeFormatOptions, type WallTime,
} from './format.js';
export {
  registerTranslations, setEhrLocale, getEhrLocale, normalizeLocale, followDocumentLocale, pinEhrLocale,
  sourceLocale, targetLocales, type EhrLocale,
} from './i18n.js';
/** The session types, re-exported so element packages need only core. */
export type { AuthState, AuthSource, AuthStatus, LaunchContext } from '@ehr-kit/auth';
