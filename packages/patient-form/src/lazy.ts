/**
 * `<ehr-patient-form>`'s on-demand code, loaded through core's `chunk()` (load once, join the load
 * in flight, `.value` once in; a failure is a `ChunkLoadError`, forgotten so the next need loads again).
 */
import { chunk } from '@ehr-kit/core/element';

/** The chunks' importers, read at each attempt (replaceable: a test makes one fail). */
export const importers = {
  /** The form: its state, fields, handlers and stylesheet. */
  view: () => import('./view.js'),
  /** Rules, FHIR mapping, saving, the duplicate and conflict panels. */
  flow: () => import('./flow.js'),
};

export const view = chunk(() => importers.view());
export const flow = chunk(() => importers.flow());
