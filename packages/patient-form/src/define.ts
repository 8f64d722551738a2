import { define } from '@ehr-kit/core';
import { EhrPatientForm } from './patient-form.js';

define('ehr-patient-form', EhrPatientForm);

declare global {
  interface HTMLElementTagNameMap {
    'ehr-patient-form': EhrPatientForm;
  }
}

export { EhrPatientForm };
