import { define } from '@ehr-kit/core/element';
import { EhrPatientForm } from './patient-form.js';
import { view } from './lazy.js';

// The form's view starts loading now, so it is usually in before the element connects. A failure
// here is silent: the element's own request for it reports it, with Try again.
view().catch(() => undefined);

define('ehr-patient-form', EhrPatientForm);

declare global {
  interface HTMLElementTagNameMap {
    'ehr-patient-form': EhrPatientForm;
  }
}

export { EhrPatientForm };
