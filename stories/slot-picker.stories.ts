// <ehr-slot-picker> in every state. The plain stories use the preview's mock FHIR worker (demo
// clinic) through <ehr-provider>; stories with faults, timing or special data inject a `client` on
// their own in-page mock (its fetch), so nothing leaks into other stories.
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir, fixtures, type MockFhir, type SeedFn } from '@ehr-kit/mock-fhir';
import '@ehr-kit/slot-picker/define';
import { buildBooking, type EhrSlotPicker } from '@ehr-kit/slot-picker';

interface Args {
  practitionerId: string;
  scheduleId: string;
  locationId: string;
  patientId: string;
  start: string;
  days: number;
  timezone: string;
  serviceType: string;
  book: boolean;
  appointmentId: string;
  client?: FhirClient;
}

const NGUYEN = fixtures.practitioners.nguyen.id;
const MUELLER = fixtures.practitioners.mueller.id;
const ANA = fixtures.patients.ana.id;
const TZ_EXT = 'http://hl7.org/fhir/StructureDefinition/timezone';

/** A private mock and a client on it, for stories that need faults or their own data. */
function ownMock(seed: 'demo' | 'empty' | SeedFn = 'demo', setup?: (mock: MockFhir) => void): FhirClient {
  const mock = createMockFhir({ baseUrl: `http://stories-${Math.random().toString(36).slice(2, 8)}.mock/fhir`, seed });
  setup?.(mock);
  return new FhirClient({ baseUrl: mock.baseUrl, fetch: mock.fetch, retry: { attempts: 1 } });
}

/** One practitioner in New York with `n` free 10-minute slots over the next week. */
function manySlots(n: number): SeedFn {
  return ({ now }) => {
    const out: Array<Record<string, unknown>> = [
      { resourceType: 'Practitioner', id: 'pr-busy', name: [{ family: 'Okafor', given: ['Chidi'], prefix: ['Dr.'] }] },
      { resourceType: 'Schedule', id: 'sc-busy', active: true, actor: [{ reference: 'Practitioner/pr-busy' }], extension: [{ url: TZ_EXT, valueCode: 'America/New_York' }] },
    ];
    const first = Math.ceil(now.getTime() / 600_000) * 600_000 + 600_000;
    for (let i = 0; i < n; i++) {
      const start = first + i * 120_000; // overlapping rooms: 5,000 slots in a week
      out.push({ resourceType: 'Slot', id: `many-${i}`, schedule: { reference: 'Schedule/sc-busy' }, status: 'free', start: new Date(start).toISOString(), end: new Date(start + 600_000).toISOString() });
    }
    return out as never;
  };
}

const picker = (canvas: HTMLElement) => canvas.querySelector('ehr-slot-picker') as EhrSlotPicker;

async function until(check: () => unknown, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 30));
  }
}

const meta: Meta<Args> = {
  title: 'Elements/Slot picker',
  component: 'ehr-slot-picker',
  args: { practitionerId: NGUYEN, scheduleId: '', locationId: '', patientId: '', start: '', days: 7, timezone: '', serviceType: '', book: false, appointmentId: '' },
  argTypes: {
    practitionerId: { control: 'text', description: 'Whose free times (Practitioner id)' },
    scheduleId: { control: 'text', description: 'Or one Schedule' },
    locationId: { control: 'text', description: 'Or a Location' },
    patientId: { control: 'text', description: 'Who the visit is for (needed with book)' },
    start: { control: 'text', description: 'First day, YYYY-MM-DD (default today)' },
    days: { control: { type: 'number', min: 1, max: 31 } },
    timezone: { control: 'text', description: "IANA zone; default the clinic's" },
    serviceType: { control: 'text', description: 'system|code or code' },
    book: { control: 'boolean', description: 'Confirm and book in one transaction' },
    appointmentId: { control: 'text', description: 'Reschedule this Appointment' },
    client: { table: { disable: true } },
  },
  render: (a) => html`<ehr-slot-picker
    .client=${a.client}
    practitioner-id=${a.practitionerId || nothing}
    schedule-id=${a.scheduleId || nothing}
    location-id=${a.locationId || nothing}
    patient-id=${a.patientId || nothing}
    start=${a.start || nothing}
    days=${a.days}
    timezone=${a.timezone || nothing}
    service-type=${a.serviceType || nothing}
    ?book=${a.book}
    appointment-id=${a.appointmentId || nothing}
  ></ehr-slot-picker>`,
};
export default meta;
type Story = StoryObj<Args>;

/** Dr. Nguyễn's free times this week, in the clinic's zone (New York), booking for Ana. */
export const Default: Story = { args: { book: true, patientId: ANA } };

/** Select only (no booking): the host listens for `ehr-slot-selected`. */
export const SelectOnly: Story = {};

/** Berlin clinic, shown in its own zone. */
export const Berlin: Story = { args: { practitionerId: MUELLER, book: true, patientId: ANA } };

/** While the server is slow. */
export const Loading: Story = {
  args: { client: ownMock('demo', (m) => m.faults.latency('Slot', 600_000)) },
};

/** No free times in the shown days, with the next available day offered. */
export const Empty: Story = {
  args: {
    practitionerId: 'pr-busy',
    client: ownMock(({ now, ...rest }) => {
      const later = new Date(now.getTime() + 20 * 86_400_000);
      return manySlots(3)({ now: later, ...rest });
    }),
  },
};

/** No free times at all. */
export const NothingAtAll: Story = { args: { practitionerId: 'pr-busy', client: ownMock(manySlots(0)) } };

/** The server failed; "Try again" is offered. */
export const LoadError: Story = {
  name: 'Error',
  args: { client: ownMock('demo', (m) => m.faults.fail('Slot', 503)) },
};

/** 5,000 free slots in a week (paged in, grouped by day and part of day). */
export const ManySlots: Story = { args: { practitionerId: 'pr-busy', client: ownMock(manySlots(5000)) } };

/** Someone else books the chosen time first: the patient is told, the times refresh, their place is kept. */
export const BookingConflict: Story = {
  args: { book: true, patientId: ANA, client: ownMock('demo') },
  play: async ({ canvasElement, args }) => {
    const el = picker(canvasElement);
    await until(() => el.shadowRoot?.querySelector('.time'));
    (el.shadowRoot!.querySelectorAll('.time')[1] as HTMLElement).click();
    await el.updateComplete;
    // another patient books the same Slot (same version) a moment earlier
    const other = buildBooking({ slot: el.selectedSlot!, patient: `Patient/${fixtures.patients.zoe.id}`, actors: [`Practitioner/${NGUYEN}`] });
    await args.client!.transaction(other.bundle);
    (el.shadowRoot!.querySelector('.confirm .primary') as HTMLElement).click();
    await until(() => el.shadowRoot?.querySelector('.message.conflict'));
  },
};

/** The confirm step. */
export const Confirm: Story = {
  args: { book: true, patientId: ANA },
  play: async ({ canvasElement }) => {
    const el = picker(canvasElement);
    await until(() => el.shadowRoot?.querySelector('.time'));
    (el.shadowRoot!.querySelector('.time') as HTMLElement).click();
  },
};

/** Booked. */
export const Booked: Story = {
  args: { book: true, patientId: ANA, client: ownMock('demo') },
  play: async (ctx) => {
    await Confirm.play!(ctx);
    const el = picker(ctx.canvasElement);
    await el.updateComplete;
    (el.shadowRoot!.querySelector('.confirm .primary') as HTMLElement).click();
    await until(() => el.shadowRoot?.querySelector('.message.success'));
  },
};

/** En español (the toolbar's locale, forced here). */
export const Spanish: Story = { args: { book: true, patientId: ANA }, globals: { locale: 'es' } };

/** Dark theme (the toolbar's theme, forced here). */
export const DarkTheme: Story = { args: { book: true, patientId: ANA }, globals: { theme: 'dark' } };

/** On a phone: large touch targets, three times per row. */
export const Phone: Story = {
  args: { book: true, patientId: ANA },
  parameters: { viewport: { defaultViewport: 'mobile1' } },
};
