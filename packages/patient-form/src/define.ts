import { define } from '@ehr-kit/core/element';
import { EhrPatientForm } from './patient-form.js';

// No code loads here: the form's view starts loading when the first <ehr-patient-form> is made
// (patient-form.ts), so a page that registers every element but shows no form fetches none of it.
define('ehr-patient-form', EhrPatientForm);

declare global {
  interface HTMLElementTagNameMap {
    'ehr-patient-form': EhrPatientForm;
  }
}

export { EhrPatientForm };
