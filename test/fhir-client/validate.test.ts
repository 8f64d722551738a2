// test/support/validate.ts: the profile checker other suites use must itself tell valid from invalid.
import { expect } from '@open-wc/testing';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { fhirIssues, validateFhir as validateWith } from '../support/validate.js';
import type { ValidateVia } from '../support/validate.js';

const US_CORE_PATIENT = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';
const BP = 'http://hl7.org/fhir/StructureDefinition/bp';
const VITAL_SIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

async function rejects(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected validation to fail');
}

const usCorePatient: Patient = {
  resourceType: 'Patient',
  identifier: [{ system: 'http://hospital.example/mrn', value: '12345' }],
  name: [{ family: 'Ng', given: ['Ana'] }],
  gender: 'female',
  birthDate: '1990-04-01',
};

const quantity = (value: number) => ({ value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
const bloodPressure: Observation = {
  resourceType: 'Observation',
  status: 'final',
  category: [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
  subject: { reference: 'Patient/123' },
  effectiveDateTime: '2026-11-28T10:00:00Z',
  component: [
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: quantity(120) },
    { code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: quantity(80) },
  ],
};

for (const via of ['server', 'browser'] as ValidateVia[]) describe(`validateFhir via ${via} (test support)`, function () {
  this.timeout(60_000); // the first call loads ~40 MB of definitions
  const validateFhir = (r: Parameters<typeof validateWith>[0], profile?: string) => validateWith(r, profile, { via });

  it('passes a valid Patient against the R4 base', async () => {
    await validateFhir(usCorePatient);
    await validateFhir({ resourceType: 'Patient' });
  });

  it('fails an invalid Patient, naming the element', async () => {
    const message = await rejects(validateFhir({ resourceType: 'Patient', birthDate: '04/01/1990', colour: 'blue' } as Patient));
    expect(message).to.contain('Patient.birthDate');
    expect(message).to.contain('colour');
  });

  it('fails a US Core Patient without identifier and name against the US Core profile, but not the base', async () => {
    const bare: Patient = { resourceType: 'Patient', gender: 'female' };
    await validateFhir(bare);
    const message = await rejects(validateFhir(bare, US_CORE_PATIENT));
    expect(message).to.contain('Patient.identifier');
    expect(message).to.contain('Patient.name');
    await validateFhir(usCorePatient, US_CORE_PATIENT);
  });

  it('honours meta.profile when no profile is passed', async () => {
    const claimed: Patient = { resourceType: 'Patient', meta: { profile: [US_CORE_PATIENT] }, gender: 'male' };
    expect(await rejects(validateFhir(claimed))).to.contain('Patient.identifier');
  });

  it('validates a vital-signs blood pressure Observation against the bp and vitalsigns profiles', async () => {
    await validateFhir(bloodPressure, BP);
    await validateFhir(bloodPressure, VITAL_SIGNS);
  });

  it('fails a blood pressure without the diastolic component, or without the vital-signs category, against bp', async () => {
    const noDiastolic = { ...bloodPressure, component: bloodPressure.component!.slice(0, 1) };
    expect(await rejects(validateFhir(noDiastolic, BP))).to.match(/component/i);
    const noCategory = { ...bloodPressure, category: undefined };
    expect(await rejects(validateFhir(noCategory, BP))).to.match(/category/i);
  });

  it('fails a blood pressure whose components carry the wrong LOINC codes', async () => {
    const [sys, dia] = bloodPressure.component!;
    const wrong = { ...bloodPressure, component: [sys, { ...dia, code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } }] };
    expect(await rejects(validateFhir(wrong, BP))).to.contain('DiastolicBP');
  });

  it('validates heart rate against the heartrate profile, and rejects a non-UCUM /min unit', async () => {
    const hr: Observation = {
      resourceType: 'Observation',
      status: 'final',
      category: bloodPressure.category,
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      subject: { reference: 'Patient/123' },
      effectiveDateTime: '2026-11-28T10:00:00Z',
      valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
    };
    await validateFhir(hr, 'http://hl7.org/fhir/StructureDefinition/heartrate');
    const bpm = { ...hr, valueQuantity: { ...hr.valueQuantity, code: 'bpm' } };
    expect(await rejects(validateFhir(bpm, 'http://hl7.org/fhir/StructureDefinition/heartrate'))).to.match(/valueQuantity|value\[x\]|code/);
  });

  it('returns issues without throwing from fhirIssues, and rejects an unknown profile', async () => {
    const issues = await fhirIssues({ resourceType: 'Patient' }, US_CORE_PATIENT, { via });
    expect(issues.some((i) => i.severity === 'error')).to.equal(true);
    expect(await rejects(validateFhir(usCorePatient, 'http://example.org/StructureDefinition/nope'))).to.contain('unknown profile');
  });
});
