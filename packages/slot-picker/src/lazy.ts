/**
 * The picker's code that the loading skeleton does not need, as chunks on core's `chunk()`: the
 * view (everything once the times are in), booking, and the searches beyond the first. A chunk
 * that fails to load is a `ChunkLoadError` (shown with Try again) and is not kept: the next call
 * loads again. The record is replaceable (tests swap in a failing loader), so it is read at call time.
 */
import { chunk } from '@ehr-kit/core/element';

export const chunks = {
  /** The picker once data is in: days, times, keyboard, confirm step, messages, its stylesheet. */
  view: chunk(() => import('./view.js')),
  /** Booking, rescheduling, and finding out what a lost answer did. */
  book: chunk(() => import('./book-flow.js')),
  /** Searches beyond the one chained search: Schedule-then-Slot, next available, zone from Location, the visit being moved. */
  search: chunk(() => import('./more-search.js')),
};
