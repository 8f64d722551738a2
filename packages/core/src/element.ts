/**
 * @ehr-kit/core/element: what an element's eager shell needs — the base element, `define`, chunk
 * loading, error words, state rendering, the styles of those states and i18n registration — and
 * nothing else. Shells import from here, not from the '@ehr-kit/core' barrel: when a shell and its
 * lazy view both reach the barrel, esbuild puts modules only the view uses (formatting, form helpers)
 * in a chunk that loads up front. Views import '@ehr-kit/core/format', '/forms', '/styles' directly.
 */
export { EhrElement, clientFor } from './ehr-element.js';
export { define } from './define-element.js';
export { chunk, prefetch, ChunkLoadError, type Chunk } from './chunk.js';
export { emitEhrEvent, type EhrEventMap, type EhrEvent } from './events.js';
export { describeError, isAbort, NoServerError, type UserMessage } from './errors.js';
export { renderState, renderLoading, renderEmpty, renderError, type StateRenderers } from './status.js';
export { registerTranslations, getEhrLocale } from './i18n.js';
export type { AuthState, LaunchContext } from '@ehr-kit/auth';
