/**
 * The picker once its code is in (a lazy chunk, loaded in parallel with the first search): the
 * rest of loading a view (the clinic's zone, grouping, next available, the visit being moved), the
 * days and times, keyboard, the confirm step, booking, messages, and the stylesheet. The element
 * (slot-picker.ts) keeps the public API, the data Task, the skeleton and the error state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { Appointment, Bundle, CodeableConcept, Schedule, Slot } from '@medplum/fhirtypes';
import { ChunkLoadError, NoServerError, describeError, getEhrLocale, prefetch, type EhrEventMap, type LaunchContext, type UserMessage } from '@ehr-kit/core/element';
// Straight from core's modules, not its barrel: what only the view uses stays in the view's chunk.
import { addDays, browserTimeZone, dayKey, daysBetween, isDayKey, isValidTimeZone, today, wallTime, wallTimeToMs } from '@ehr-kit/core/format';
import type { FhirClient } from '@ehr-kit/fhir-client';
import { ConfigError, chunkFailedText, isoInstant, type EhrSlotPicker } from './slot-picker.js';
import { viewStyles } from './view.styles.js';
import { clock, dayLabel, dayShortLabel, zoneLabel, type PartOfDay } from './labels.js';
import { groupSlots, nearestTime, type DayGroup, type TimeOption } from './slot-model.js';
import { allPages, clinicTimeZone, collect, isChainRefused, slotQuery, slotSearchParams, type SlotOwner } from './slot-query.js';
import type { BookingPlan } from './booking.js';
import { chunks } from './lazy.js';

export { viewStyles };

/**
 * What the view uses of its element: the public properties, and (protected on EhrElement, as the
 * view is the element's own code in another chunk) its client, launch context, emit() and fail().
 */
type PickerHost = Pick<
  EhrSlotPicker,
  'practitionerId' | 'patientId' | 'book' | 'serviceType' | 'renderRoot' | 'requestUpdate' | 'updateComplete' | 'shadowRoot'
> & {
  readonly fhir: FhirClient | undefined;
  readonly launch: LaunchContext | undefined;
  emit<K extends keyof EhrEventMap>(type: K, detail: EhrEventMap[K]): boolean;
  fail(error: unknown, operation: string): UserMessage;
};

/** What one view (`days` days from a start day) holds once loaded. */
export interface ViewData {
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
/** Servers that refused `schedule.actor` chaining (per client), so the next view goes straight to the fallback. */
const noChaining = new WeakSet<object>();

export class SlotView {
  /** The first day of the shown view, once the person moved away from `start`. */
  viewStart: string | undefined;
  /** Bumped to load the shown days again. */
  reload = 0;
  /** The last view loaded. */
  data: ViewData | undefined;
  selected: TimeOption | undefined;

  #host: PickerHost;
  #dayKey: string | undefined;
  #focusId: string | undefined;
  #phase: Phase = 'choose';
  #notice: Notice;
  #booked: { appointment: Appointment; slot: Slot; when: string } | undefined;
  /** Where focus goes after the next data change: a day, or a time near a remembered place. */
  #restore:
    | { kind: 'day'; index: number }
    | { kind: 'time'; dayKey?: string | undefined; part?: PartOfDay | undefined; startMs?: number | undefined; id?: string }
    | { kind: 'message' }
    | { kind: 'confirm' }
    | undefined;
  /** The plan whose answer never arrived: checked on the server before anything is sent again. */
  #unsure: BookingPlan | undefined;

  constructor(host: EhrSlotPicker) {
    // The protected members are the element's own; the view is that element's code.
    this.#host = host as unknown as PickerHost;
  }

  #changed(): void {
    this.#host.requestUpdate();
  }

  willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('start') || changed.has('practitionerId') || changed.has('scheduleId') || changed.has('locationId')) {
      this.viewStart = undefined;
      this.#dayKey = undefined;
    }
    // Another calendar or another appointment to move: start over (a booking in flight finishes first).
    const other = ['practitionerId', 'scheduleId', 'locationId', 'appointmentId', 'patientId'].some((k) => changed.has(k) && changed.get(k) !== undefined);
    if (other && this.#phase !== 'booking') {
      this.#phase = 'choose';
      this.selected = undefined;
      this.#booked = undefined;
      this.#notice = undefined;
      this.#unsure = undefined;
    }
  }

  updated(pending: boolean): void {
    const restore = this.#restore;
    if (!restore || pending) return;
    this.#restore = undefined;
    const root = this.#host.renderRoot as ShadowRoot;
    let target: HTMLElement | null = null;
    if (restore.kind === 'day') target = root.querySelectorAll<HTMLElement>('[role="tab"]')[restore.index] ?? root.querySelector('[role="tab"][tabindex="0"]');
    else if (restore.kind === 'time') target = root.querySelector('.time[tabindex="0"]') ?? root.querySelector('[role="tab"][tabindex="0"]');
    else if (restore.kind === 'message') target = root.querySelector('.message[tabindex="-1"]');
    else if (restore.kind === 'confirm') target = root.querySelector('.confirm .primary');
    target?.focus();
  }

  // ————— loading —————

  /**
   * The rest of loading a view, after the element sent the search (`first`, on the first view) or
   * here: the clinic's zone, the days, the next free time when they are empty, the visit being moved.
   */
  async load(
    client: FhirClient,
    owner: SlotOwner,
    o: { start?: string | undefined; days: number; timezone?: string | undefined; serviceType?: string | undefined; appointmentId?: string | undefined },
    range: { from: string; to: string },
    first: Promise<Bundle[]> | undefined,
    signal: AbortSignal,
  ): Promise<ViewData> {
    const now = Date.now();
    const moving = o.appointmentId ? chunks.search().then((m) => m.loadMoving(client, o.appointmentId!, signal)) : undefined;
    moving?.catch(() => {}); // awaited below; a failed search must not leave it unhandled
    const { slots, schedules, others, scheduleIds } = await this.#searchSlots(client, owner, range, o.serviceType, first, signal);

    let zone = isValidTimeZone(o.timezone) ? o.timezone : clinicTimeZone(schedules.values(), others);
    if (!zone) zone = (await (await chunks.search()).zoneFromLocation(slotQuery, client, [...schedules.values()], signal)) ?? browserTimeZone();
    const startDay = startDayFrom(o.start, zone, now);
    const days = groupSlots(slots, { timeZone: zone, startDay, days: o.days, now });
    const total = days.reduce((n, d) => n + d.count, 0);
    let nextAvailable: ViewData['nextAvailable'];
    if (total === 0) {
      const after = Math.max(wallTimeToMs(addDays(startDay, o.days), 0, 0, zone), now);
      const next = await (await chunks.search()).firstAfter(slotQuery, client, owner, isoInstant(after), o.serviceType, scheduleIds, signal);
      if (next?.start) nextAvailable = { dayKey: dayKey(next.start, zone), startMs: Date.parse(next.start) };
    }
    const data = { zone, startDay, days, total, schedules: [...schedules.values()], nextAvailable, moving: await moving };
    if (!signal.aborted) this.#afterLoad(data);
    return data;
  }

  async #searchSlots(client: FhirClient, owner: SlotOwner, range: { from: string; to: string }, serviceType: string | undefined, first: Promise<Bundle[]> | undefined, signal: AbortSignal) {
    let chainError: unknown;
    if (first || owner.scheduleId || !noChaining.has(client)) {
      try {
        return { ...collect(await (first ?? allPages(client, slotSearchParams(owner, range, { serviceType }), signal))), scheduleIds: undefined };
      } catch (error) {
        if (owner.scheduleId || !isChainRefused(error)) throw error;
        chainError = error;
      }
    }
    return (await chunks.search()).searchWithoutChain(slotQuery, client, owner, range, serviceType, signal, chainError, noChaining);
  }

  #afterLoad(data: ViewData): void {
    const previous = this.data;
    // The first view is up: fetch the rest of the picker's code while the person looks at it.
    if (!previous) prefetch(this.#host.book ? [chunks.book, chunks.search] : [chunks.search]);
    this.data = data;
    const restore = this.#restore;
    // Keep the person's day when it is still shown; else the first day with times.
    const keepDay =
      restore?.kind === 'time' && restore.dayKey && data.days.some((d) => d.dayKey === restore.dayKey)
        ? restore.dayKey
        : restore?.kind === 'day'
          ? data.days[restore.index]?.dayKey
          : this.#dayKey && data.days.some((d) => d.dayKey === this.#dayKey)
            ? this.#dayKey
            : undefined;
    this.#dayKey = keepDay ?? data.days.find((d) => d.count > 0)?.dayKey ?? data.days[0]?.dayKey;
    const place = restore?.kind === 'time' ? restore : this.#focusId ? this.#placeOf(previous, this.#focusId) : undefined;
    const day = data.days.find((d) => d.dayKey === this.#dayKey);
    // Compare times of day: a place remembered on another day moves to this day first.
    const shift = place?.dayKey && this.#dayKey ? daysBetween(place.dayKey, this.#dayKey) * 24 * HOUR : 0;
    const near = place ? nearestTime(day ? [day] : [], { ...place, dayKey: this.#dayKey, startMs: place.startMs === undefined ? undefined : place.startMs + shift }) : undefined;
    this.#focusId = near?.id ?? day?.times[0]?.id;
    if (this.selected && !data.days.some((d) => d.times.some((t) => t.id === this.selected!.id))) this.selected = undefined;
  }

  #placeOf(data: ViewData | undefined, id: string): { dayKey: string; part: PartOfDay; startMs: number; id: string } | undefined {
    for (const d of data?.days ?? []) for (const t of d.times) if (t.id === id) return { dayKey: d.dayKey, part: t.part, startMs: t.startMs, id };
    return undefined;
  }

  /** This picker's words for a failure to load (the element shows them with Try again when it may help). */
  describe(error: unknown): { title: string; detail?: string | undefined; retryable: boolean } {
    if (error instanceof ConfigError) return { title: msg('No practitioner, schedule or place was given to show times for.', { id: 'slot.config.no-owner' }), retryable: false };
    if (error instanceof NoServerError) return { title: msg('This calendar is not connected to a clinic server.', { id: 'slot.config.no-server' }), retryable: false };
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

  // ————— choosing —————

  /** Shows the view that starts `weeks` views later (negative: earlier), keeping the weekday in focus. */
  #moveWeek(weeks: number, focus: 'day' | 'time' | undefined): void {
    const data = this.data;
    if (!data) return;
    const now = today(data.zone);
    let target = addDays(data.startDay, weeks * data.days.length);
    if (target < now) {
      if (data.startDay <= now) return;
      target = now;
    }
    const index = Math.max(0, data.days.findIndex((d) => d.dayKey === this.#dayKey));
    this.viewStart = target;
    // By keyboard the same weekday stays in focus; by the buttons, the first day with times is shown.
    this.#dayKey = focus ? addDays(this.#dayKey ?? data.startDay, weeks * data.days.length) : undefined;
    if (focus === 'day') this.#restore = { kind: 'day', index };
    else if (focus === 'time') this.#restore = { kind: 'time', dayKey: this.#dayKey };
    this.#notice = undefined;
    this.#changed();
  }

  #chooseDay(dayKey: string, focus: boolean): void {
    this.#dayKey = dayKey;
    const day = this.data?.days.find((d) => d.dayKey === dayKey);
    this.#focusId = day?.times[0]?.id;
    this.#changed();
    if (focus) {
      void this.#host.updateComplete.then(() => (this.#host.renderRoot as ShadowRoot).querySelector<HTMLElement>(`[role="tab"][data-day="${dayKey}"]`)?.focus());
    }
  }

  #focusTime(t: TimeOption | undefined): void {
    if (!t) return;
    if (t.dayKey !== this.#dayKey) this.#dayKey = t.dayKey;
    this.#focusId = t.id;
    this.#changed();
    void this.#host.updateComplete.then(() => (this.#host.renderRoot as ShadowRoot).querySelector<HTMLElement>(`.time[data-id="${cssEscape(t.id)}"]`)?.focus());
  }

  // Handlers are arrow functions: Lit calls listeners with the element as `this`.
  #onDaysKey = (e: KeyboardEvent): void => {
    const data = this.data;
    if (!data) return;
    const index = data.days.findIndex((d) => d.dayKey === this.#dayKey);
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
        this.#focusTime(day?.times.find((t) => t.id === this.#focusId) ?? day?.times[0]);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  #onTimesKey = (e: KeyboardEvent): void => {
    const data = this.data;
    const target = (e.target as HTMLElement).closest<HTMLElement>('.time');
    if (!data || !target) return;
    const day = data.days.find((d) => d.dayKey === this.#dayKey);
    if (!day) return;
    const i = day.times.findIndex((t) => t.id === target.dataset.id);
    const dayIndex = data.days.indexOf(day);
    const root = this.#host.renderRoot as ShadowRoot;
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
        const next = rowNeighbour(target, [...root.querySelectorAll<HTMLElement>('.time')], e.key === 'ArrowDown' ? 1 : -1);
        if (next) this.#focusTime(day.times.find((t) => t.id === next.dataset.id));
        else if (e.key === 'ArrowUp') root.querySelector<HTMLElement>('[role="tab"][tabindex="0"]')?.focus();
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
        this.#restore = { kind: 'time', dayKey: this.#dayKey, part: t?.part, startMs: t ? t.startMs + dir * data.days.length * 24 * HOUR : undefined };
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  // One listener on the panel for every time button (thousands of buttons, no closure each).
  #timeOf(e: Event): TimeOption | undefined {
    const id = (e.target as HTMLElement).closest<HTMLElement>('.time')?.dataset.id;
    return id === undefined ? undefined : this.data?.days.find((d) => d.dayKey === this.#dayKey)?.times.find((t) => t.id === id);
  }

  #onTimesClick = (e: MouseEvent): void => {
    const t = this.#timeOf(e);
    if (t) this.#choose(t);
  };

  #onTimesFocus = (e: FocusEvent): void => {
    const t = this.#timeOf(e);
    if (t && t.id !== this.#focusId) {
      this.#focusId = t.id;
      this.#changed();
    }
  };

  #choose(t: TimeOption): void {
    this.#focusId = t.id;
    this.selected = t;
    this.#notice = undefined;
    this.#changed();
    this.#host.emit('ehr-slot-selected', { slot: t.slot });
    if (this.#host.book) {
      void chunks.book().catch(() => {}); // if idle time never came; Book says so if it fails
      this.#phase = 'confirm';
      this.#restore = { kind: 'confirm' };
    }
  }

  #backToTimes(): void {
    this.#phase = 'choose';
    this.#notice = undefined;
    this.#unsure = undefined;
    this.#restore = { kind: 'time', ...this.#placeOf(this.data, this.selected?.id ?? '') };
    this.#changed();
  }

  // ————— booking —————

  #patientRef(): string | undefined {
    const fromMoving = this.data?.moving?.appointment.participant?.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference;
    const id = this.#host.patientId ?? this.#host.launch?.patient ?? fromMoving;
    if (!id) return undefined;
    return id.includes('/') ? id : `Patient/${id}`;
  }

  #serviceTypes(slot: Slot): CodeableConcept[] | undefined {
    const wanted = this.#host.serviceType;
    if (!wanted) return slot.serviceType;
    const [system, code] = wanted.includes('|') ? wanted.split('|') : [undefined, wanted];
    const match = slot.serviceType?.filter((c) => c.coding?.some((k) => k.code === code && (!system || k.system === system)));
    return match?.length ? match : [{ coding: [{ ...(system ? { system } : {}), code }] }];
  }

  async #confirm(): Promise<void> {
    const chosen = this.selected;
    const host = this.#host;
    const client = host.fhir;
    const data = this.data;
    if (!chosen || !client || !data || this.#phase === 'booking') return;
    const patient = this.#patientRef();
    if (!patient) {
      const error = new Error('No patient to book for: set patient-id or launch with a patient');
      host.fail(error, 'book Slot');
      this.#notice = { kind: 'error', message: { kind: 'invalid', retryable: false, title: msg('We do not know who this visit is for. Please sign in again or contact the clinic.', { id: 'slot.no-patient' }) } };
      this.#changed();
      return;
    }
    this.#phase = 'booking';
    this.#notice = undefined;
    this.#changed();
    try {
      const { book } = await chunks.book();
      const outcome = await book({
        client, slot: chosen.slot, patient, schedules: data.schedules, practitionerId: host.practitionerId,
        serviceType: this.#serviceTypes(chosen.slot), moving: data.moving, unsure: this.#unsure,
        setUnsure: (plan) => (this.#unsure = plan),
      });
      if ('saved' in outcome) this.#done(outcome.saved, data.moving?.appointment);
      else this.#conflict(chosen, outcome.error);
    } catch (error) {
      let message = host.fail(error, 'transaction (book Slot)');
      // Nothing was sent: the booking code itself did not arrive.
      if (error instanceof ChunkLoadError) message = { ...message, kind: 'offline', retryable: true, title: chunkFailedText(), detail: undefined };
      this.#phase = 'confirm';
      this.#notice = { kind: this.#unsure ? 'unsure' : 'error', message };
      this.#restore = { kind: 'confirm' };
    }
    this.#changed();
  }

  #done(saved: { appointment: Appointment; slot: Slot }, cancelled: Appointment | undefined): void {
    this.#unsure = undefined;
    const chosen = this.selected!;
    const zone = this.data!.zone;
    this.#booked = { ...saved, when: `${dayLabel(chosen.dayKey, getEhrLocale())}, ${chosen.startText}–${chosen.endText} (${zoneLabel(zone, getEhrLocale(), chosen.startMs)})` };
    this.#phase = 'booked';
    this.#restore = { kind: 'message' };
    this.#changed(); // rendered before a listener of the event looks
    this.#host.emit('ehr-appointment-booked', { ...saved, ...(cancelled ? { cancelled: { ...cancelled, status: 'cancelled' } } : {}) });
  }

  #conflict(chosen: TimeOption, error?: unknown): void {
    if (error) this.#host.emit('ehr-error', { error, operation: 'transaction (book Slot)' });
    this.#unsure = undefined;
    this.#phase = 'choose';
    this.selected = undefined;
    this.#notice = {
      kind: 'conflict',
      message: {
        kind: 'conflict',
        retryable: false,
        title: msg('Sorry, someone else booked that time just before you.', { id: 'slot.conflict.title' }),
        detail: msg('Here are the times that are still free. Please choose another one.', { id: 'slot.conflict.detail' }),
      },
    };
    this.#restore = { kind: 'time', dayKey: chosen.dayKey, part: chosen.part, startMs: chosen.startMs, id: chosen.id };
    this.reload++;
  }

  /** Loads the shown days again (the element's `refresh()`). */
  refresh(): void {
    this.#notice = undefined;
    // The Retry button is about to go: bring focus to the times once they are back.
    if (this.#host.shadowRoot?.activeElement) this.#restore = { kind: 'time', dayKey: this.#dayKey };
    this.reload++;
    this.#changed();
  }

  // ————— rendering —————

  /** Everything inside the element's `base` part once a view is loaded (`pending`: the next one is loading). */
  render(pending: boolean): TemplateResult {
    const data = this.data!;
    return html`${this.#renderHeader(data, pending)}
      ${this.#phase === 'booked' && this.#booked
        ? this.#renderBooked()
        : this.#phase === 'confirm' || this.#phase === 'booking'
          ? this.#renderConfirm(data)
          : html`${this.renderNotice()}${this.#renderBody(data, pending)}`}`;
  }

  #renderHeader(data: ViewData, pending: boolean): TemplateResult {
    const locale = getEhrLocale();
    const first = data.days[0]!.dayKey;
    const moving = data.moving;
    return html`<div part="header" class="header">
      <h2 class="range" id="range" aria-live="polite">${dayLabel(first, locale)} – ${dayLabel(data.days.at(-1)!.dayKey, locale)}</h2>
      ${this.#phase === 'choose'
        ? html`<button part="nav button" class="nav" ?disabled=${data.startDay <= today(data.zone) || pending} aria-label=${msg('Earlier days', { id: 'slot.nav.prev' })} @click=${() => this.#moveWeek(-1, undefined)}>‹</button>
            <button part="nav button" class="nav" ?disabled=${pending} aria-label=${msg('Later days', { id: 'slot.nav.next' })} @click=${() => this.#moveWeek(1, undefined)}>›</button>`
        : nothing}
      <p part="zone" class="zone">${msg(str`Times are in ${zoneLabel(data.zone, locale, wallTimeToMs(first, 0, 0, data.zone) + 12 * HOUR)}.`, { id: 'slot.zone' })}</p>
      ${moving?.appointment.start ? html`<p class="zone">${msg(str`Moving your visit on ${whenText(moving.appointment, data.zone, locale)}.`, { id: 'slot.moving' })}</p>` : nothing}
    </div>`;
  }

  /** A conflict or booking notice above the times (also shown by the element over a failed reload). */
  renderNotice(): TemplateResult | typeof nothing {
    const n = this.#notice;
    if (!n) return nothing;
    return html`<div part="message" class="message ${n.kind}" role="alert">
      <p class="title">${n.message.title}</p>
      ${n.message.detail ? html`<p>${n.message.detail}</p>` : nothing}
    </div>`;
  }

  #renderBody(data: ViewData, pending: boolean): TemplateResult {
    if (data.total === 0) return this.#renderEmpty(data, pending);
    const locale = getEhrLocale();
    const day = data.days.find((d) => d.dayKey === this.#dayKey) ?? data.days[0]!;
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
    const focusId = day.times.some((t) => t.id === this.#focusId) ? this.#focusId : day.times[0]?.id;
    const date = dayLabel(day.dayKey, locale);
    const selectedId = this.selected?.id;
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
    this.viewStart = dayKey;
    this.#dayKey = dayKey;
    this.#restore = { kind: 'time', dayKey };
    this.#changed();
  }

  #renderConfirm(data: ViewData): TemplateResult {
    const t = this.selected;
    if (!t) return html``;
    const locale = getEhrLocale();
    const booking = this.#phase === 'booking';
    const service = (this.#serviceTypes(t.slot) ?? []).map((c) => c.text ?? c.coding?.[0]?.display).filter(Boolean).join(', ');
    const n = this.#notice;
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
    const b = this.#booked!;
    return html`<div part="message" class="message success" role="status" tabindex="-1">
      <p class="title">${this.data?.moving ? msg('Your visit has been moved.', { id: 'slot.moved' }) : msg('You are booked.', { id: 'slot.booked' })}</p>
      <p>${b.when}</p>
    </div>`;
  }
}

function startDayFrom(start: string | undefined, zone: string, now: number): string {
  if (isDayKey(start)) return start;
  if (start && !Number.isNaN(Date.parse(start))) return dayKey(start, zone);
  return today(zone, now);
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
