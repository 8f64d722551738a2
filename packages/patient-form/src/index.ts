/**
 * @ehr-kit/patient-form: `<ehr-patient-form>`. This entry has no side effects; import
 * `@ehr-kit/patient-form/define` to register the tag.
 */
export { EhrPatientForm } from './patient-form.js';
export {
  fromPatient, toPatient, emptyState, fieldForExpression, likelyDuplicates, duplicateQuery,
  INTAKE_KEY_SYSTEM, US_CORE_PATIENT, US_CORE_RACE, US_CORE_ETHNICITY, US_CORE_BIRTHSEX, SECTIONS,
  type PatientFormState, type FieldKey, type SectionKey,
} from './model.js';
export { validate, normalizePhone, normalizePostalCode, type FieldError, type FieldErrors } from './validation.js';
