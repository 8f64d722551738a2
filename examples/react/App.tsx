// React 19: custom elements take attributes/properties and DOM events directly.
// npm install @ehr-kit/kit   (React 18: use a ref + addEventListener for events; attributes work)
import { useEffect, useRef, useState } from 'react';
import '@ehr-kit/kit/define'; // registers every <ehr-*> element (or import '@ehr-kit/slot-picker/define')
import type { EhrSlotPicker } from '@ehr-kit/slot-picker';
import type { Appointment } from '@medplum/fhirtypes';
import type {} from '@ehr-kit/kit/react'; // JSX types for <ehr-*> (generated from the Custom Elements Manifest)

export function BookVisit({ practitionerId, token }: { practitionerId: string; token: string }) {
  const picker = useRef<EhrSlotPicker>(null);
  const [booked, setBooked] = useState<Appointment>();

  useEffect(() => {
    const el = picker.current;
    const onBooked = (e: Event) => setBooked((e as CustomEvent<{ appointment: Appointment }>).detail.appointment);
    el?.addEventListener('ehr-appointment-booked', onBooked);
    return () => el?.removeEventListener('ehr-appointment-booked', onBooked);
  }, []);

  return (
    <ehr-provider fhir-base-url="https://fhir.example.org/r4" auth="token" accessToken={token}>
      <ehr-slot-picker ref={picker} practitioner-id={practitionerId} days={7} book />
      {booked && <p role="status">Booked: {booked.start}</p>}
    </ehr-provider>
  );
}
