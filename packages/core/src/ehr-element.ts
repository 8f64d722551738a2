import { Task } from '@lit/task';
import type { FhirClient } from '@ehr-kit/fhir-client';
import { EhrBase } from './ehr-base.js';
import { describeError, isAbort, NoServerError, type UserMessage } from './errors.js';

export { clientFor } from './ehr-base.js';

/**
 * Base of every ehr-kit element: finds its FHIR client (injected `client`, else the nearest
 * `<ehr-provider>`, else its own `fhir-base-url`), re-renders on locale changes, and gives
 * subclasses `emit()`, `fail()`, `fhirTask()` and `fhir`/`launch`/`session`.
 *
 * Theme with `--ehr-*` tokens on the element, a provider or the page (see `tokenTable` for all),
 * and `theme="dark"` / `theme="light"` to override the system colour scheme.
 *
 * @fires ehr-error - Something failed. detail: { error, operation }
 * @cssprop --ehr-color-text - Body text.
 * @cssprop --ehr-color-surface - Background.
 * @cssprop --ehr-color-primary - Buttons, links, selection.
 * @cssprop --ehr-color-on-primary - Text on primary.
 * @cssprop --ehr-color-danger - Errors and invalid fields.
 * @cssprop --ehr-color-border - Input borders.
 * @cssprop --ehr-color-focus - Focus ring.
 * @cssprop --ehr-font-family - Typeface.
 * @cssprop --ehr-font-size-m - Base text size.
 * @cssprop --ehr-radius-m - Corner radius of buttons and boxes.
 * @cssprop --ehr-space-4 - The base spacing step (space-1…space-6).
 */
export class EhrElement extends EhrBase {
  /**
   * A `@lit/task` Task that talks to the server: it re-runs when `args()` change or the client
   * changes (provider swap, `client` set), is aborted when superseded, reports failures with
   * `fail()`, and throws `NoServerError` when there is no client. Render it with `renderState()`.
   * ```ts
   * #patient = this.fhirTask({
   *   operation: 'read Patient',
   *   args: () => [this.patientId] as const,
   *   run: (fhir, [id], signal) => fhir.read('Patient', id!, { signal }),
   * });
   * ```
   */
  protected fhirTask<const A extends readonly unknown[], R>(options: {
    operation: string;
    args: () => A;
    run: (fhir: FhirClient, args: A, signal: AbortSignal) => Promise<R>;
    /** false: only runs on `task.run()`. Default true. */
    autoRun?: boolean;
  }): Task<[FhirClient | undefined, ...A], R> {
    return new Task(this, {
      args: () => [this.fhir, ...options.args()] as [FhirClient | undefined, ...A],
      task: async ([fhir, ...args], { signal }) => {
        try {
          if (!fhir) throw new NoServerError();
          return await options.run(fhir, args as unknown as A, signal);
        } catch (error) {
          if (!isAbort(error) && !signal.aborted) this.fail(error, options.operation);
          throw error;
        }
      },
      autoRun: options.autoRun ?? true,
    });
  }

  /** Reports a failure: emits `ehr-error` { error, operation } and returns the words to show. */
  protected fail(error: unknown, operation: string): UserMessage {
    this.emit('ehr-error', { error, operation });
    return describeError(error);
  }
}
