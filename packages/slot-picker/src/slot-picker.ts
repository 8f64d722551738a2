import { adoptStyles, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { TaskStatus } from '@lit/task';
import { msg } from '@lit/localize';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { ChunkLoadError, EhrElement, describeError, isAbort, registerTranslations, renderLoading } from '@ehr-kit/core/element';
import { shellStyles } from './slot-picker.styles.js';
import { allPages, hasOwner, isChainRefused, slotSearchParams } from './slot-search.js';
import { chunks } from './lazy.js';
import type { SlotView } from './view.js';

registerTranslations('es', () => import('./locales/es.js'));

declare module '@ehr-kit/core/element' {
  interface EhrEventMap {
    'ehr-slot-selected': { slot: Slot };
    'ehr-appointment-booked': { appointment: Appointment; slot: Slot; cancelled?: Appointment };
  }
}

const HOUR = 3_600_000;
/** Zone offsets span UTC-12..UTC+14: a window padded by 26 h holds the view in any zone. */
const ZONE_PAD = 26 * HOUR;

/**
 * Shows free `Slot`s for a practitioner, schedule or location, day by day in the clinic's time
 * zone, and (with `book`) books the chosen one in a single transaction guarded by the Slot's
 * version, so the same time can never be given to two people.
 *
 * Keyboard: Left/Right move across days (in the day list) or times; Up/Down move between rows of
 * times (Up from the first row goes back to the days); Home/End jump to the first/last; PageUp/
 * PageDown show the previous/next week.
 *
 * @fires ehr-slot-selected - A time was chosen. detail: { slot }
 * @fires ehr-appointment-booked - The booking committed. detail: { appointment, slot, cancelled? }
 * @fires ehr-error - Loading or booking failed. detail: { error, operation }
 *
 * @csspart base - The whole picker.
 * @csspart header - Range, week navigation and time-zone line.
 * @csspart nav - The previous/next week buttons.
 * @csspart zone - The line naming the time zone.
 * @csspart days - The list of days.
 * @csspart day - One day's button (with its count).
 * @csspart day-count - The number of free times on a day.
 * @csspart times - The panel with the chosen day's times.
 * @csspart part-of-day - A group of times (morning, afternoon, evening).
 * @csspart time - One time's button.
 * @csspart confirm - The confirmation step.
 * @csspart message - Status, empty, error and conflict messages.
 * @csspart button - Action buttons (retry, book, change).
 * @csspart loading - The placeholder shown until the first times are in.
 *
 * @cssprop --ehr-slot-picker-gap - Space between days and between time buttons.
 * @cssprop --ehr-slot-picker-target-size - Minimum size of every button (44 px; 48 px on touch screens).
 * @cssprop --ehr-slot-picker-accent - Colour of the chosen day and time.
 * @cssprop --ehr-slot-picker-on-accent - Text colour on the accent.
 */
export class EhrSlotPicker extends EhrElement {
  // The loading and error states only; the view brings the rest of the stylesheet (adoptStyles).
  static override styles = shellStyles;

  /** Whose free times to show: a Practitioner id (searched by `Slot?schedule.actor=Practitioner/…`). */
  @property({ attribute: 'practitioner-id', reflect: true }) accessor practitionerId: string | undefined;
  /** Or one Schedule id. */
  @property({ attribute: 'schedule-id', reflect: true }) accessor scheduleId: string | undefined;
  /** Or a Location id (all schedules at that place). */
  @property({ attribute: 'location-id', reflect: true }) accessor locationId: string | undefined;
  /** Who the visit is for; default: the provider's launch patient. */
  @property({ attribute: 'patient-id' }) accessor patientId: string | undefined;
  /** First day shown, `YYYY-MM-DD` in the shown time zone; default today. */
  @property() accessor start: string | undefined;
  /** How many days a view shows (1–31, default 7). */
  @property({ type: Number }) accessor days: number = 7;
  /** IANA time zone to show times in; default the clinic's (Schedule timezone extension), else the browser's. */
  @property() accessor timezone: string | undefined;
  /** Only Slots of this service type (`system|code` or `code`). */
  @property({ attribute: 'service-type' }) accessor serviceType: string | undefined;
  /** Book the chosen time (confirm step + transaction); without it the picker only selects. */
  @property({ type: Boolean, reflect: true }) accessor book: boolean = false;
  /** Reschedule this Appointment: the new booking frees its Slot and cancels it, in the same transaction. */
  @property({ attribute: 'appointment-id' }) accessor appointmentId: string | undefined;

  /** The slot the person chose (read-only). */
  get selectedSlot(): Slot | undefined {
    return this.#ui?.selected?.slot;
  }

  /** The view (a lazy chunk), once its code is in: it holds what the person sees and does. */
  #ui: SlotView | undefined;

  #data = this.fhirTask({
    operation: 'search Slot',
    args: () =>
      [this.practitionerId, this.scheduleId, this.locationId, this.#ui?.viewStart ?? this.start, this.days, this.timezone, this.serviceType, this.appointmentId, this.#ui?.reload ?? 0] as const,
    run: async (client, [practitionerId, scheduleId, locationId, start, days, timezone, serviceType, appointmentId], signal) => {
      const owner = { practitionerId, scheduleId, locationId };
      if (!hasOwner(owner)) throw new ConfigError();
      days = Number.isFinite(days) ? Math.max(1, Math.min(31, Math.round(days))) : 7;
      const range = searchRange(start, days);
      // The first view: the search goes out now, in parallel with the view's code. A refused
      // chained search is not a failure yet (the view falls back to Schedule-then-Slot).
      const first = chunks.view.value ? undefined : allPages(client, slotSearchParams(owner, range, { serviceType }), signal);
      const [ui] = await Promise.all([this.#view(), first?.catch((e: unknown) => { if (scheduleId || !isChainRefused(e)) throw e; })]);
      return ui.load(client, owner, { start, days, timezone, serviceType, appointmentId }, range, first, signal);
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#view().catch(() => {}); // as early as possible; the data Task reports a failure
  }

  /** The view's code, and once it is in: its stylesheet adopted and its state made. */
  #view(): Promise<SlotView> {
    return chunks.view().then((m) => {
      if (!this.#ui) {
        this.#ui = new m.SlotView(this);
        adoptStyles(this.renderRoot as ShadowRoot, m.viewStyles);
        this.requestUpdate();
      }
      return this.#ui;
    });
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.#ui?.willUpdate(changed as Map<string, unknown>);
  }

  override updated(): void {
    this.#ui?.updated(this.#data.status === TaskStatus.PENDING);
  }

  /** Loads the shown days again (what the Retry button does). */
  refresh(): void {
    if (this.#ui) this.#ui.refresh();
    else void this.#data.run();
  }

  override render(): TemplateResult {
    const { status, error } = this.#data;
    const ui = this.#ui;
    const failed = status === TaskStatus.ERROR && !isAbort(error);
    const pending = status < TaskStatus.COMPLETE;
    return html`<div part="base" class="base" aria-busy=${pending}>
      ${ui?.data && !failed
        ? ui.render(pending)
        : html`<div part="header" class="header"><h2 class="range" id="range" aria-live="polite">${msg('Available times', { id: 'slot.title' })}</h2></div>
            ${ui?.renderNotice()}${failed ? this.#renderError(error) : renderLoading(msg('Looking for free times…', { id: 'slot.loading' }), 6)}`}
    </div>`;
  }

  #renderError(error: unknown): TemplateResult {
    // The view knows this picker's words for its errors; before it is in, core's (and ours for a chunk).
    const m = this.#ui?.describe(error) ?? (error instanceof ChunkLoadError ? { title: chunkFailedText(), retryable: true } : describeError(error));
    return html`<div part="message" class="message error" role="alert">
      <p class="title">${m.title}</p>
      ${m.detail ? html`<p>${m.detail}</p>` : nothing}
      ${m.retryable ? html`<div class="actions"><button part="button" class="primary" @click=${() => this.refresh()}>${msg('Try again', { id: 'slot.retry' })}</button></div>` : nothing}
    </div>`;
  }
}

/** No practitioner, schedule or location was given (the view words it). */
export class ConfigError extends Error {}

export function chunkFailedText(): string {
  return msg('Part of this calendar could not be loaded. Please check your connection and try again.', { id: 'slot.chunk-failed' });
}

/**
 * The window the search asks for: the shown days (from `start`, default today), padded by 26 h on
 * each side since the clinic's zone is known only from the answer. In the browser's own zone
 * (Date), so the eager code carries no time-zone arithmetic; the view groups by the clinic's zone.
 */
function searchRange(start: string | undefined, days: number, now = Date.now()): { from: string; to: string } {
  let d = new Date(/^\d{4}-\d\d-\d\d$/.test(start ?? '') ? `${start}T00:00` : (start ?? now));
  if (Number.isNaN(d.getTime())) d = new Date(now);
  const from = Math.max(d.setHours(0, 0, 0, 0) - ZONE_PAD, Math.floor(now / 60_000) * 60_000);
  d.setDate(d.getDate() + days);
  return { from: isoInstant(from), to: isoInstant(d.getTime() + ZONE_PAD) };
}

/** An ISO 8601 instant in UTC without milliseconds, as FHIR search prefers. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
