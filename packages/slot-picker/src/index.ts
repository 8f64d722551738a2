export { EhrSlotPicker } from './slot-picker.js';
export { buildBooking, buildReschedule, readBookingResponse, scheduleActors, BOOKING_KEY_SYSTEM } from './booking.js';
export type { BookingInput, RescheduleInput, BookingPlan } from './booking.js';
export { groupSlots, nearestTime } from './slot-model.js';
export type { DayGroup, TimeOption, GroupOptions } from './slot-model.js';
export { slotSearchParams, clinicTimeZone, TIMEZONE_EXTENSION } from './slot-query.js';
export type { SlotOwner } from './slot-query.js';
