import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import { TaskStatus, type Task } from '@lit/task';
import { describeError, isAbort, type UserMessage } from './errors.js';

/** How to render each state of a task; every key is optional and has a consistent default. */
export interface StateRenderers<R> {
  /** Before the first run (e.g. waiting for an id). Default: `loading`. */
  initial?: () => unknown;
  /** While the task runs. Default: `renderLoading()`. */
  loading?: () => unknown;
  /** When it finished with nothing to show. Default: `renderEmpty()`. */
  empty?: () => unknown;
  /** When it failed. Default: `renderError(message, retry)`. */
  error?: (message: UserMessage, retry: () => void) => unknown;
  /** When it finished with something to show. */
  complete: (value: R) => unknown;
  /** Decides "empty". Default: null/undefined, an empty array, or a Bundle with no entries. */
  isEmpty?: (value: R) => boolean;
}

function defaultIsEmpty(value: unknown): boolean {
  if (value == null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && (value as { resourceType?: string }).resourceType === 'Bundle') {
    return !((value as { entry?: unknown[] }).entry?.length);
  }
  return false;
}

/**
 * Renders a `@lit/task` Task as loading / empty / error-with-retry / complete, the same way in
 * every element:
 * ```ts
 * render() {
 *   return renderState(this.slots, {
 *     empty: () => renderEmpty(msg('No times are free this week.', { id: 'slots.none' })),
 *     complete: (slots) => html`…`,
 *   });
 * }
 * ```
 */
export function renderState<R>(task: Task<readonly unknown[], R>, r: StateRenderers<R>): unknown {
  const loading = r.loading ?? (() => renderLoading());
  switch (task.status) {
    case TaskStatus.INITIAL:
      return (r.initial ?? loading)();
    case TaskStatus.PENDING:
      return loading();
    case TaskStatus.COMPLETE: {
      const value = task.value as R;
      return (r.isEmpty ?? defaultIsEmpty)(value) ? (r.empty ?? (() => renderEmpty()))() : r.complete(value);
    }
    case TaskStatus.ERROR:
      // An aborted run is superseded by the next one; keep showing progress.
      if (isAbort(task.error)) return loading();
      return (r.error ?? renderError)(describeError(task.error), () => void task.run());
  }
  return nothing;
}

/** A skeleton with an announced "Loading…" (visually hidden). `lines` sets the skeleton's height. */
export function renderLoading(label?: string, lines = 3): TemplateResult {
  return html`<div part="loading" role="status" aria-live="polite">
    <span class="visually-hidden">${label ?? msg('Loading…', { id: 'core.loading' })}</span>
    ${Array.from({ length: lines }, () => html`<span class="skeleton" aria-hidden="true"></span>`)}
  </div>`;
}

/** The "nothing here" state. */
export function renderEmpty(text?: string): TemplateResult {
  return html`<p part="empty" class="muted">${text ?? msg('Nothing to show yet.', { id: 'core.empty' })}</p>`;
}

/** An error box in plain words, with "Try again" when trying again may help. */
export function renderError(message: UserMessage, retry?: () => void): TemplateResult {
  return html`<div part="error" class="alert alert-error" role="alert">
    <p><strong>${message.title}</strong></p>
    ${message.detail ? html`<p>${message.detail}</p>` : nothing}
    ${message.retryable && retry
      ? html`<button part="retry" class="btn" type="button" @click=${retry}>${msg('Try again', { id: 'core.retry' })}</button>`
      : nothing}
  </div>`;
}
