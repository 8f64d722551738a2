import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TaskStatus } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { Appointment, CodeableConcept, Schedule, Slot } from '@medplum/fhirtypes';
import { EhrElement, NoServerError, describeError, getEhrLocale, isAbort, registerTranslations, type UserMessage } from '@ehr-kit/core';
import type { FhirClient } from '@ehr-kit/fhir-client';
import { slotPickerStyles } from './slot-picker.styles.js';
import { addDays, browserTimeZone, dayKey, daysBetween, isDayKey, isValidTimeZone, today, wallTime, wallTimeToMs } from '@ehr-kit/core';
import { clock, dayLabel, dayShortLabel, isoInstant, zoneLabel, type PartOfDay } from './labels.js';
import { groupSlots, nearestTime, type DayGroup, type TimeOption } from './slot-model.js';
import { allPages, clinicTimeZone, collect, hasOwner, isChainRefused, slotQuery, slotSearchParams, type SlotOwner } from './slot-query.js';
import type { BookingPlan } from './booking.js';
import { ChunkLoadError, load, prefetch } from './lazy.js';

registerTranslations('es', () => import('./locales/es.js'));

declare module '@ehr-kit/core' {
  interface EhrEventMap {
    'ehr-slot-selected': { slot: Slot };
    'ehr-appointment-booked': { appointment: Appointment; slot: Slot; cancelled?: Appointment };
  }
}

/** What one view (`days` days from a start day) holds once loaded. */
interface ViewData {
  zone: string;
  startDay: string;
  days: DayGroup[];
  total: number;
  schedules: Schedule[];
  /** the first free time after the shown days, when they are empty */
  nextAvailable?: { dayKey: string; startMs: number } | undefined;
  /** the appointment being moved, when `appointment-id` is set */
  moving?: { appointment: Appointment; slot?: Slot | undefined } | undefined;
}

type Phase = 'choose' | 'confirm' | 'booking' | 'booked';
type Notice = { kind: 'conflict' | 'error' | 'unsure'; message: UserMessage } | undefined;

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
 *
 * @cssprop --ehr-slot-picker-gap - Space between days and between time buttons.
 * @cssprop --ehr-slot-picker-target-size - Minimum size of every button (44 px; 48 px on touch screens).
 * @cssprop --ehr-slot-picker-accent - Colour of the chosen day and time.
 * @cssprop --ehr-slot-picker-on-accent - Text colour on the accent.
 */
export class EhrSlotPicker extends EhrElement {
  static override styles = slotPickerStyles;

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
    return this._selected?.slot;
  }

  @state() private accessor _viewStart: string | undefined;
  @state() private accessor _dayKey: string | undefined;
  @state() private accessor _focusId: string | undefined;
  @state() private accessor _selected: TimeOption | undefined;
  @state() private accessor _phase: Phase = 'choose';
  @state() private accessor _notice: Notice;
  @state() private accessor _booked: { appointment: Appointment; slot: Slot; when: string } | undefined;
  @state() private accessor _reload: number = 0;

  /** Where focus goes after the next data change: a day, or a time near a remembered place. */
  #restore:
    | { kind: 'day'; index: number }
    | { kind: 'time'; dayKey?: string; part?: PartOfDay; startMs?: number; id?: string }
    | { kind: 'message' }
    | { kind: 'confirm' }
    | undefined;
  /** Servers that refused `schedule.actor` chaining (per client), so the next view goes straight to the fallback. */
  static #noChaining = new WeakSet<object>();
  /** The plan whose answer never arrived: checked on the server before anything is sent again. */
  #unsure: BookingPlan | undefined;
  #lastData: ViewData | undefined;

  #view = this.fhirTask({
    operation: 'search Slot',
    args: () =>
      [this.practitionerId, this.scheduleId, this.locationId, this._viewStart ?? this.start, this.days, this.timezone, this.serviceType, this.appointmentId, this._reload] as const,
    run: async (client, [practitionerId, scheduleId, locationId, start, days, timezone, serviceType, appointmentId], signal) => {
      const owner: SlotOwner = { practitionerId, scheduleId, locationId };
      if (!hasOwner(owner)) throw new ConfigError(msg('No practitioner, schedule or place was given to show times for.', { id: 'slot.config.no-owner' }));
      const data = await this.#load(client, owner, { start, days: clampDays(days), timezone, serviceType, appointmentId }, signal);
      if (!signal.aborted) this.#afterLoad(data);
      return data;
    },
  });

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('start') || changed.has('practitionerId') || changed.has('scheduleId') || changed.has('locationId')) {
      this._viewStart = undefined;
      this._dayKey = undefined;
    }
    // Another calendar or another appointment to move: start over (a booking in flight finishes first).
    const old = changed as Map<string, unknown>;
    const other = ['practitionerId', 'scheduleId', 'locationId', 'appointmentId', 'patientId'].some((k) => old.has(k) && old.get(k) !== undefined);
    if (other && this._phase !== 'booking') {
      this._phase = 'choose';
      this._selected = undefined;
      this._booked = undefined;
      this._notice = undefined;
      this.#unsure = undefined;
    }
  }

  override updated(): void {
    const restore = this.#restore;
    if (!restore || this.#view.status === TaskStatus.PENDING) return;
    this.#restore = undefined;
    const root = this.renderRoot as ShadowRoot;
    let target: HTMLElement | null = null;
    if (restore.kind === 'day') target = root.querySelectorAll<HTMLElement>('[role="tab"]')[restore.index] ?? root.querySelector('[role="tab"][tabindex="0"]');
    else if (restore.kind === 'time') target = root.querySelector('.time[tabindex="0"]') ?? root.querySelector('[role="tab"][tabindex="0"]');
    else if (restore.kind === 'message') target = root.querySelector('.message[tabindex="-1"]');
    else if (restore.kind === 'confirm') target = root.querySelector('.confirm .primary');
    target?.focus();
  }

  // ————— loading —————

  async #load(
    client: FhirClient,
    owner: SlotOwner,
    o: { start?: string | undefined; days: number; timezone?: string | undefined; serviceType?: string | undefined; appointmentId?: string | undefined },
    signal: AbortSignal,
  ): Promise<ViewData> {
    const fixedZone = isValidTimeZone(o.timezone) ? o.timezone : undefined;
    const guessZone = fixedZone ?? this.#lastData?.zone ?? browserTimeZone();
    const now = Date.now();
    const startDay = startDayFrom(o.start, guessZone, now);
    const pad = fixedZone ? 0 : ZONE_PAD;
    const from = Math.max(wallTimeToMs(startDay, 0, 0, guessZone) - pad, Math.floor(now / 60_000) * 60_000);
    const to = wallTimeToMs(addDays(startDay, o.days), 0, 0, guessZone) + pad;

    const moving = o.appointmentId ? load('search').then((m) => m.loadMoving(client, o.appointmentId!, signal)) : undefined;
    moving?.catch(() => {}); // awaited below; a failed search must not leave it unhandled
    const range = { from: isoInstant(from), to: isoInstant(to) };
    const { slots, schedules, others, scheduleIds } = await this.#searchSlots(client, owner, range, o.serviceType, signal);

    let zone = fixedZone ?? clinicTimeZone(schedules.values(), others);
    if (!zone) zone = (await (await load('search')).zoneFromLocation(slotQuery, client, [...schedules.values()], signal)) ?? browserTimeZone();
    // The guess may have been another zone; the padded window holds the view either way.
    const finalStart = startDayFrom(o.start, zone, now);
    const days = groupSlots(slots, { timeZone: zone, startDay: finalStart, days: o.days, now });
    const total = days.reduce((n, d) => n + d.count, 0);
    let nextAvailable: ViewData['nextAvailable'];
    if (total === 0) {
      const after = Math.max(wallTimeToMs(addDays(finalStart, o.days), 0, 0, zone), now);
      const next = await (await load('search')).firstAfter(slotQuery, client, owner, isoInstant(after), o.serviceType, scheduleIds, signal);
      if (next?.start) nextAvailable = { dayKey: dayKey(next.start, zone), startMs: Date.parse(next.start) };
    }
    return { zone, startDay: finalStart, days, total, schedules: [...schedules.values()], nextAvailable, moving: await moving };
  }

  async #searchSlots(client: FhirClient, owner: SlotOwner, range: { from: string; to: string }, serviceType: string | undefined, signal: AbortSignal) {
    const noChaining = EhrSlotPicker.#noChaining;
    let chainError: unknown;
    if (owner.scheduleId || !noChaining.has(client)) {
      try {
        return { ...collect(await allPages(client, slotSearchParams(owner, range, { serviceType }), signal)), scheduleIds: undefined };
      } catch (error) {
        if (owner.scheduleId || !isChainRefused(error)) throw error;
        chainError = error;
      }
    }
    return (await load('search')).searchWithoutChain(slotQuery, client, owner, range, serviceType, signal, chainError, noChaining);
  }

  #afterLoad(data: ViewData): void {
    const previous = this.#lastData;
    // The first view is up: fetch the rest of the picker's code while the person looks at it.
    if (!previous) prefetch(this.book ? ['book', 'search'] : ['search']);
    this.#lastData = data;
    const restore = this.#restore;
    // Keep the person's day when it is still shown; else the first day with times.
    const keepDay =
      restore?.kind === 'time' && restore.dayKey && data.days.some((d) => d.dayKey === restore.dayKey)
        ? restore.dayKey
        : restore?.kind === 'day'
          ? data.days[restore.index]?.dayKey
          : this._dayKey && data.days.some((d) => d.dayKey === this._dayKey)
            ? this._dayKey
            : undefined;
    this._dayKey = keepDay ?? data.days.find((d) => d.count > 0)?.dayKey ?? data.days[0]?.dayKey;
    const place = restore?.kind === 'time' ? restore : this._focusId ? this.#placeOf(previous, this._focusId) : undefined;
    const day = data.days.find((d) => d.dayKey === this._dayKey);
    // Compare times of day: a place remembered on another day moves to this day first.
    const shift = place?.dayKey && this._dayKey ? daysBetween(place.dayKey, this._dayKey) * 24 * HOUR : 0;
    const near = place ? nearestTime(day ? [day] : [], { ...place, dayKey: this._dayKey, startMs: place.startMs === undefined ? undefined : place.startMs + shift }) : undefined;
    this._focusId = near?.id ?? day?.times[0]?.id;
    if (this._selected && !data.days.some((d) => d.times.some((t) => t.id === this._selected!.id))) this._selected = undefined;
  }

  #placeOf(data: ViewData | undefined, id: string): { dayKey: string; part: PartOfDay; startMs: number; id: string } | undefined {
    for (const d of data?.days ?? []) for (const t of d.times) if (t.id === id) return { dayKey: d.dayKey, part: t.part, startMs: t.startMs, id };
    return undefined;
  }

  // ————— choosing —————

  /** Shows the view that starts `weeks` views later (negative: earlier), keeping the weekday in focus. */
  #moveWeek(weeks: number, focus: 'day' | 'time' | undefined): void {
    const data = this.#lastData;
    if (!data) return;
    const now = today(data.zone);
    let target = addDays(data.startDay, weeks * data.days.length);
    if (target < now) {
      if (data.startDay <= now) return;
      target = now;
    }
    const index = Math.max(0, data.days.findIndex((d) => d.dayKey === this._dayKey));
    this._viewStart = target;
    // By keyboard the same weekday stays in focus; by the buttons, the first day with times is shown.
    this._dayKey = focus ? addDays(this._dayKey ?? data.startDay, weeks * data.days.length) : undefined;
    if (focus === 'day') this.#restore = { kind: 'day', index };
    else if (focus === 'time') this.#restore = { kind: 'time', dayKey: this._dayKey };
    this._notice = undefined;
  }

  #chooseDay(dayKey: string, focus: boolean): void {
    this._dayKey = dayKey;
    const day = this.#lastData?.days.find((d) => d.dayKey === dayKey);
    this._focusId = day?.times[0]?.id;
    if (focus) {
      void this.updateComplete.then(() => (this.renderRoot as ShadowRoot).querySelector<HTMLElement>(`[role="tab"][data-day="${dayKey}"]`)?.focus());
    }
  }

  #focusTime(t: TimeOption | undefined): void {
    if (!t) return;
    if (t.dayKey !== this._dayKey) this._dayKey = t.dayKey;
    this._focusId = t.id;
    void this.updateComplete.then(() => (this.renderRoot as ShadowRoot).querySelector<HTMLElement>(`.time[data-id="${cssEscape(t.id)}"]`)?.focus());
  }

  #onDaysKey(e: KeyboardEvent): void {
    const data = this.#lastData;
    if (!data) return;
    const index = data.days.findIndex((d) => d.dayKey === this._dayKey);
    const go = (i: number) => this.#chooseDay(data.days[Math.max(0, Math.min(data.days.length - 1, i))]!.dayKey, true);
    switch (e.key) {
      case 'ArrowLeft':
        if (index <= 0) this.#moveWeek(-1, 'day');
        else go(index - 1);
        break;
      case 'ArrowRight':
        if (index >= data.days.length - 1) this.#moveWeek(1, 'day');
        else go(index + 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(data.days.length - 1);
        break;
      case 'PageUp':
        this.#moveWeek(-1, 'day');
        break;
      case 'PageDown':
        this.#moveWeek(1, 'day');
        break;
      case 'ArrowDown': {
        const day = data.days[index];
        this.#focusTime(day?.times.find((t) => t.id === this._focusId) ?? day?.times[0]);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  #onTimesKey(e: KeyboardEvent): void {
    const data = this.#lastData;
    const target = (e.target as HTMLElement).closest<HTMLElement>('.time');
    if (!data || !target) return;
    const day = data.days.find((d) => d.dayKey === this._dayKey);
    if (!day) return;
    const i = day.times.findIndex((t) => t.id === target.dataset.id);
    const dayIndex = data.days.indexOf(day);
    switch (e.key) {
      case 'ArrowRight': {
        if (i < day.times.length - 1) this.#focusTime(day.times[i + 1]);
        else this.#focusTime(data.days.slice(dayIndex + 1).find((d) => d.count)?.times[0]);
        break;
      }
      case 'ArrowLeft': {
        if (i > 0) this.#focusTime(day.times[i - 1]);
        else this.#focusTime(data.days.slice(0, dayIndex).reverse().find((d) => d.count)?.times.at(-1));
        break;
      }
      case 'ArrowDown':
      case 'ArrowUp': {
        const next = rowNeighbour(target, [...(this.renderRoot as ShadowRoot).querySelectorAll<HTMLElement>('.time')], e.key === 'ArrowDown' ? 1 : -1);
        if (next) this.#focusTime(day.times.find((t) => t.id === next.dataset.id));
        else if (e.key === 'ArrowUp') (this.renderRoot as ShadowRoot).querySelector<HTMLElement>('[role="tab"][tabindex="0"]')?.focus();
        break;
      }
      case 'Home':
        this.#focusTime(day.times[0]);
        break;
      case 'End':
        this.#focusTime(day.times.at(-1));
        break;
      case 'PageUp':
      case 'PageDown': {
        const t = day.times[i];
        const dir = e.key === 'PageDown' ? 1 : -1;
        this.#moveWeek(dir, 'time');
        this.#restore = { kind: 'time', dayKey: this._dayKey, part: t?.part, startMs: t ? t.startMs + dir * data.days.length * 24 * HOUR : undefined };
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  // One listener on the panel for every time button (thousands of buttons, no closure each).
  #timeOf(e: Event): TimeOption | undefined {
    const id = (e.target as HTMLElement).closest<HTMLElement>('.time')?.dataset.id;
    return id === undefined ? undefined : this.#lastData?.days.find((d) => d.dayKey === this._dayKey)?.times.find((t) => t.id === id);
  }

  #onTimesClick(e: MouseEvent): void {
    const t = this.#timeOf(e);
    if (t) this.#choose(t);
  }

  #onTimesFocus(e: FocusEvent): void {
    const t = this.#timeOf(e);
    if (t) this._focusId = t.id;
  }

  #choose(t: TimeOption): void {
    this._focusId = t.id;
    this._selected = t;
    this._notice = undefined;
    this.emit('ehr-slot-selected', { slot: t.slot });
    if (this.book) {
      void load('book').catch(() => {}); // if idle time never came; Book says so if it fails
      this._phase = 'confirm';
      this.#restore = { kind: 'confirm' };
    }
  }

  #backToTimes(): void {
    this._phase = 'choose';
    this._notice = undefined;
    this.#unsure = undefined;
    this.#restore = { kind: 'time', ...this.#placeOf(this.#lastData, this._selected?.id ?? '') };
    this.requestUpdate();
  }

  // ————— booking —————

  #patientRef(): string | undefined {
    const fromMoving = this.#lastData?.moving?.appointment.participant?.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference;
    const id = this.patientId ?? this.launch?.patient ?? fromMoving;
    if (!id) return undefined;
    return id.includes('/') ? id : `Patient/${id}`;
  }

  #serviceTypes(slot: Slot): CodeableConcept[] | undefined {
    if (!this.serviceType) return slot.serviceType;
    const [system, code] = this.serviceType.includes('|') ? this.serviceType.split('|') : [undefined, this.serviceType];
    const match = slot.serviceType?.filter((c) => c.coding?.some((k) => k.code === code && (!system || k.system === system)));
    return match?.length ? match : [{ coding: [{ ...(system ? { system } : {}), code }] }];
  }

  async #confirm(): Promise<void> {
    const chosen = this._selected;
    const client = this.fhir;
    const data = this.#lastData;
    if (!chosen || !client || !data || this._phase === 'booking') return;
    const patient = this.#patientRef();
    if (!patient) {
      const error = new Error('No patient to book for: set patient-id or launch with a patient');
      this.fail(error, 'book Slot');
      this._notice = { kind: 'error', message: { kind: 'invalid', retryable: false, title: msg('We do not know who this visit is for. Please sign in again or contact the clinic.', { id: 'slot.no-patient' }) } };
      return;
    }
    this._phase = 'booking';
    this._notice = undefined;
    try {
      const { book } = await load('book');
      const outcome = await book({
        client, slot: chosen.slot, patient, schedules: data.schedules, practitionerId: this.practitionerId,
        serviceType: this.#serviceTypes(chosen.slot), moving: data.moving, unsure: this.#unsure,
        setUnsure: (plan) => (this.#unsure = plan),
      });
      if ('saved' in outcome) this.#done(outcome.saved, data.moving?.appointment);
      else this.#conflict(chosen, outcome.error);
    } catch (error) {
      let message = this.fail(error, 'transaction (book Slot)');
      // Nothing was sent: the booking code itself did not arrive.
      if (error instanceof ChunkLoadError) message = { ...message, kind: 'offline', retryable: true, title: chunkFailedText(), detail: undefined };
      this._phase = 'confirm';
      this._notice = { kind: this.#unsure ? 'unsure' : 'error', message };
      this.#restore = { kind: 'confirm' };
    }
  }

  #done(saved: { appointment: Appointment; slot: Slot }, cancelled: Appointment | undefined): void {
    this.#unsure = undefined;
    const chosen = this._selected!;
    const zone = this.#lastData!.zone;
    this._booked = { ...saved, when: `${dayLabel(chosen.dayKey, getEhrLocale())}, ${chosen.startText}–${chosen.endText} (${zoneLabel(zone, getEhrLocale(), chosen.startMs)})` };
    this._phase = 'booked';
    this.#restore = { kind: 'message' };
    this.emit('ehr-appointment-booked', { ...saved, ...(cancelled ? { cancelled: { ...cancelled, status: 'cancelled' } } : {}) });
  }

  #conflict(chosen: TimeOption, error?: unknown): void {
    if (error) this.emit('ehr-error', { error, operation: 'transaction (book Slot)' });
    this.#unsure = undefined;
    this._phase = 'choose';
    this._selected = undefined;
    this._notice = {
      kind: 'conflict',
      message: {
        kind: 'conflict',
        retryable: false,
        title: msg('Sorry, someone else booked that time just before you.', { id: 'slot.conflict.title' }),
        detail: msg('Here are the times that are still free. Please choose another one.', { id: 'slot.conflict.detail' }),
      },
    };
    this.#restore = { kind: 'time', dayKey: chosen.dayKey, part: chosen.part, startMs: chosen.startMs, id: chosen.id };
    this._reload++;
  }

  /** Loads the shown days again (what the Retry button does). */
  refresh(): void {
    this._notice = undefined;
    // The Retry button is about to go: bring focus to the times once they are back.
    if (this.shadowRoot?.activeElement) this.#restore = { kind: 'time', dayKey: this._dayKey };
    this._reload++;
  }

  // ————— rendering —————

  override render(): TemplateResult {
    const status = this.#view.status;
    const data = status === TaskStatus.ERROR && !isAbort(this.#view.error) ? undefined : this.#lastData;
    const pending = status === TaskStatus.PENDING || status === TaskStatus.INITIAL;
    return html`<div part="base" class="base" aria-busy=${pending ? 'true' : 'false'}>
      ${this.#renderHeader(data, pending)}
      ${this._phase === 'booked' && this._booked
        ? this.#renderBooked()
        : this._phase === 'confirm' || this._phase === 'booking'
          ? this.#renderConfirm(data)
          : html`${this.#renderNotice()}${this.#renderBody(data, pending)}`}
    </div>`;
  }

  #renderHeader(data: ViewData | undefined, pending: boolean): TemplateResult {
    const locale = getEhrLocale();
    const choosing = this._phase === 'choose';
    const first = data?.days[0]?.dayKey;
    const last = data?.days.at(-1)?.dayKey;
    const range = first && last ? `${dayLabel(first, locale)} – ${dayLabel(last, locale)}` : msg('Available times', { id: 'slot.title' });
    const moving = data?.moving;
    const atToday = !data || data.startDay <= today(data.zone);
    return html`<div part="header" class="header">
      <h2 class="range" id="range" aria-live="polite">${range}</h2>
      ${choosing && data
        ? html`<button part="nav button" class="nav" ?disabled=${atToday || pending} aria-label=${msg('Earlier days', { id: 'slot.nav.prev' })} @click=${() => this.#moveWeek(-1, undefined)}>‹</button>
            <button part="nav button" class="nav" ?disabled=${pending} aria-label=${msg('Later days', { id: 'slot.nav.next' })} @click=${() => this.#moveWeek(1, undefined)}>›</button>`
        : nothing}
      ${data ? html`<p part="zone" class="zone">${msg(str`Times are in ${zoneLabel(data.zone, locale, first ? wallTimeToMs(first, 0, 0, data.zone) + 12 * HOUR : Date.now())}.`, { id: 'slot.zone' })}</p>` : nothing}
      ${moving?.appointment.start && data
        ? html`<p class="zone">${msg(str`Moving your visit on ${whenText(moving.appointment, data.zone, locale)}.`, { id: 'slot.moving' })}</p>`
        : nothing}
    </div>`;
  }

  #renderNotice(): TemplateResult | typeof nothing {
    const n = this._notice;
    if (!n) return nothing;
    return html`<div part="message" class="message ${n.kind}" role="alert">
      <p class="title">${n.message.title}</p>
      ${n.message.detail ? html`<p>${n.message.detail}</p>` : nothing}
    </div>`;
  }

  #renderBody(data: ViewData | undefined, pending: boolean): TemplateResult {
    const status = this.#view.status;
    if (status === TaskStatus.ERROR && !isAbort(this.#view.error)) {
      const error = this.#view.error;
      const message =
        error instanceof ConfigError
          ? { title: error.message, retryable: false }
          : error instanceof NoServerError
            ? { title: msg('This calendar is not connected to a clinic server.', { id: 'slot.config.no-server' }), retryable: false }
            : describeForView(error);
      return html`<div part="message" class="message error" role="alert">
        <p class="title">${message.title}</p>
        ${'detail' in message && message.detail ? html`<p>${message.detail}</p>` : nothing}
        ${message.retryable ? html`<div class="actions"><button part="button" class="primary" @click=${() => this.refresh()}>${msg('Try again', { id: 'slot.retry' })}</button></div>` : nothing}
      </div>`;
    }
    if (!data) {
      return html`<div role="status" class="loading">
        <p class="message" part="message">${msg('Looking for free times…', { id: 'slot.loading' })}</p>
        <div class="skeleton" aria-hidden="true">${[0, 1, 2, 3, 4, 5].map(() => html`<span></span>`)}</div>
      </div>`;
    }
    if (data.total === 0) return this.#renderEmpty(data, pending);
    const locale = getEhrLocale();
    const day = data.days.find((d) => d.dayKey === this._dayKey) ?? data.days[0]!;
    return html`<div class="days" part="days" role="tablist" aria-label=${msg('Days', { id: 'slot.days' })} @keydown=${this.#onDaysKey}>
        ${data.days.map((d) => {
          const selected = d.dayKey === day.dayKey;
          const short = dayShortLabel(d.dayKey, locale);
          return html`<button
            part="day"
            class="day ${d.count ? '' : 'none'}"
            role="tab"
            id="day-${d.dayKey}"
            data-day=${d.dayKey}
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls="panel"
            tabindex=${selected ? '0' : '-1'}
            @click=${() => this.#chooseDay(d.dayKey, false)}
          >
            <span class="visually-hidden">${dayLabel(d.dayKey, locale)}, ${countText(d.count)}</span>
            <span class="weekday" aria-hidden="true">${short.weekday}</span><span aria-hidden="true">${short.date}</span
            ><span class="count" part="day-count" aria-hidden="true">${d.count ? countText(d.count) : msg('none', { id: 'slot.count.none' })}</span>
          </button>`;
        })}
      </div>
      <div id="panel" part="times" class="panel ${pending ? 'busy' : ''}" role="tabpanel" aria-labelledby="day-${day.dayKey}" @keydown=${this.#onTimesKey} @click=${this.#onTimesClick} @focusin=${this.#onTimesFocus}>
        ${day.count ? this.#renderTimes(day, locale) : this.#renderDayEmpty(data, day)}
      </div>`;
  }

  #renderTimes(day: DayGroup, locale: string): TemplateResult {
    const focusId = day.times.some((t) => t.id === this._focusId) ? this._focusId : day.times[0]?.id;
    const date = dayLabel(day.dayKey, locale);
    const selectedId = this._selected?.id;
    return html`${day.parts.map(
      (p) => html`<section class="part" part="part-of-day" role="group" aria-labelledby="part-${p.part}">
        <h3 id="part-${p.part}">${partName(p.part)}</h3>
        <ul class="times" role="list">
          ${p.times.map(
            (t) => html`<li>
              <button
                part="time"
                class="time"
                data-id=${t.id}
                tabindex=${t.id === focusId ? '0' : '-1'}
                aria-pressed=${t.id === selectedId ? 'true' : 'false'}
                aria-label=${msg(str`${date}, ${t.startText} to ${t.endText}`, { id: 'slot.time-label' })}
              >
                ${t.startText}
              </button>
            </li>`,
          )}
        </ul>
      </section>`,
    )}`;
  }

  #renderDayEmpty(data: ViewData, day: DayGroup): TemplateResult {
    const next = data.days.find((d) => d.dayKey > day.dayKey && d.count) ?? data.days.find((d) => d.count);
    return html`<div part="message" class="message">
      <p class="title">${msg('No free times on this day.', { id: 'slot.day-empty' })}</p>
      ${next
        ? html`<div class="actions"><button part="button" @click=${() => this.#chooseDay(next.dayKey, true)}>
            ${msg(str`Show ${dayLabel(next.dayKey, getEhrLocale())}`, { id: 'slot.show-day' })}
          </button></div>`
        : nothing}
    </div>`;
  }

  #renderEmpty(data: ViewData, pending: boolean): TemplateResult {
    const next = data.nextAvailable;
    const locale = getEhrLocale();
    return html`<div part="message" class="message" role="status">
      <p class="title">${msg('No free times on these days.', { id: 'slot.empty' })}</p>
      ${next
        ? html`<p>${msg(str`The next free time is on ${dayLabel(next.dayKey, locale)}.`, { id: 'slot.next-available' })}</p>
            <div class="actions">
              <button part="button" class="primary" ?disabled=${pending} @click=${() => this.#jumpTo(next.dayKey)}>
                ${msg(str`Show ${dayLabel(next.dayKey, locale)}`, { id: 'slot.show-day' })}
              </button>
            </div>`
        : html`<p>${msg('Please check again later or contact the clinic.', { id: 'slot.empty-none' })}</p>`}
    </div>`;
  }

  #jumpTo(dayKey: string): void {
    this._viewStart = dayKey;
    this._dayKey = dayKey;
    this.#restore = { kind: 'time', dayKey };
  }

  #renderConfirm(data: ViewData | undefined): TemplateResult {
    const t = this._selected;
    if (!t || !data) return html``;
    const locale = getEhrLocale();
    const booking = this._phase === 'booking';
    const service = (this.#serviceTypes(t.slot) ?? []).map((c) => c.text ?? c.coding?.[0]?.display).filter(Boolean).join(', ');
    const n = this._notice;
    return html`<section part="confirm" class="confirm" aria-labelledby="confirm-title">
      <h3 id="confirm-title">${data.moving ? msg('Move your visit to this time?', { id: 'slot.confirm.move' }) : msg('Book this time?', { id: 'slot.confirm.title' })}</h3>
      <p class="when">${dayLabel(t.dayKey, locale)}, ${msg(str`${t.startText} to ${t.endText}`, { id: 'slot.from-to' })}</p>
      <p class="zone">${zoneLabel(data.zone, locale, t.startMs)}${service ? html` · ${service}` : nothing}</p>
      ${n
        ? html`<div part="message" class="message ${n.kind}" role="alert">
            <p class="title">${n.kind === 'unsure' ? msg('We could not confirm your booking.', { id: 'slot.unsure' }) : n.message.title}</p>
            <p>${n.kind === 'unsure' ? msg('We will check whether it went through before trying again, so you will not be booked twice.', { id: 'slot.unsure-detail' }) : (n.message.detail ?? '')}</p>
          </div>`
        : nothing}
      <div class="actions">
        <button part="button" class="primary" ?disabled=${booking} @click=${() => this.#confirm()}>
          ${booking ? msg('Booking…', { id: 'slot.booking' }) : n ? msg('Try again', { id: 'slot.retry' }) : data.moving ? msg('Move my visit', { id: 'slot.confirm.move-button' }) : msg('Book', { id: 'slot.confirm.button' })}
        </button>
        <button part="button" ?disabled=${booking} @click=${() => this.#backToTimes()}>${msg('Choose another time', { id: 'slot.change' })}</button>
      </div>
      <p class="visually-hidden" role="status">${booking ? msg('Booking…', { id: 'slot.booking' }) : ''}</p>
    </section>`;
  }

  #renderBooked(): TemplateResult {
    const b = this._booked!;
    return html`<div part="message" class="message success" role="status" tabindex="-1">
      <p class="title">${this.#lastData?.moving ? msg('Your visit has been moved.', { id: 'slot.moved' }) : msg('You are booked.', { id: 'slot.booked' })}</p>
      <p>${b.when}</p>
    </div>`;
  }
}

class ConfigError extends Error {}

function clampDays(days: number): number {
  return Number.isFinite(days) ? Math.max(1, Math.min(31, Math.round(days))) : 7;
}

function startDayFrom(start: string | undefined, zone: string, now: number): string {
  if (isDayKey(start)) return start;
  if (start && !Number.isNaN(Date.parse(start))) return dayKey(start, zone);
  return today(zone, now);
}

function describeForView(error: unknown): { title: string; detail?: string; retryable: boolean } {
  if (error instanceof ChunkLoadError) return { title: chunkFailedText(), retryable: true };
  const e = error as { kind?: string; status?: number };
  if (e?.kind === 'http' && e.status === 404) {
    return { title: msg('We could not find this calendar. Please contact the clinic.', { id: 'slot.not-found' }), retryable: false };
  }
  if (e?.kind === 'http' && (e.status === 400 || e.status === 422)) {
    // Nothing the person typed is wrong here: the server refused the search itself.
    return { title: msg('We could not load the free times.', { id: 'slot.load-failed' }), detail: describeError(error).detail, retryable: true };
  }
  // Core's words, with a retry: the person can always try loading again.
  return { ...describeError(error), retryable: true };
}

function chunkFailedText(): string {
  return msg('Part of this calendar could not be loaded. Please check your connection and try again.', { id: 'slot.chunk-failed' });
}

function countText(n: number): string {
  return n === 1 ? msg('1 time', { id: 'slot.count.one' }) : msg(str`${n} times`, { id: 'slot.count' });
}

function partName(part: PartOfDay): string {
  return part === 'morning' ? msg('Morning', { id: 'slot.part.morning' }) : part === 'afternoon' ? msg('Afternoon', { id: 'slot.part.afternoon' }) : msg('Evening', { id: 'slot.part.evening' });
}

function whenText(a: Appointment, zone: string, locale: string): string {
  const w = wallTime(Date.parse(a.start!), zone);
  return `${dayLabel(w.dayKey, locale)}, ${clock(w)}`;
}

/** The nearest button in the next (dir 1) or previous (dir -1) visual row. */
function rowNeighbour(current: HTMLElement, all: HTMLElement[], dir: 1 | -1): HTMLElement | undefined {
  const r = current.getBoundingClientRect();
  const cx = r.left + r.width / 2;
  let bestRow: number | undefined;
  for (const b of all) {
    const top = b.getBoundingClientRect().top;
    if (dir === 1 ? top > r.top + 1 : top < r.top - 1) {
      if (bestRow === undefined || (dir === 1 ? top < bestRow : top > bestRow)) bestRow = top;
    }
  }
  if (bestRow === undefined) return undefined;
  let best: HTMLElement | undefined;
  let bestDx = Infinity;
  for (const b of all) {
    const br = b.getBoundingClientRect();
    if (Math.abs(br.top - bestRow) > 1) continue;
    const dx = Math.abs(br.left + br.width / 2 - cx);
    if (dx < bestDx) {
      best = b;
      bestDx = dx;
    }
  }
  return best;
}

function cssEscape(id: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(id) : id.replace(/["\\]/g, '\\$&');
}
