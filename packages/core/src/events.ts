import type { AuthState } from '@ehr-kit/auth';

/**
 * Every `ehr-*` event and its `detail`. Element packages add theirs by declaration merging:
 * ```ts
 * declare module '@ehr-kit/core' {
 *   interface EhrEventMap { 'ehr-patient-saved': { patient: Patient; created: boolean } }
 * }
 * ```
 * (A package that imports core only through '@ehr-kit/core/element' augments that module instead.)
 */
export interface EhrEventMap {
  'ehr-error': { error: unknown; operation: string };
  'ehr-auth-changed': { state: AuthState };
}

/** A typed `ehr-*` CustomEvent. */
export type EhrEvent<K extends keyof EhrEventMap> = CustomEvent<EhrEventMap[K]>;

/** Makes `addEventListener('ehr-…', e => e.detail…)` typed on any element. */
declare global {
  interface HTMLElementEventMap extends EhrEventMapAsEvents {}
}
type EhrEventMapAsEvents = { [K in keyof EhrEventMap]: CustomEvent<EhrEventMap[K]> };

/** Dispatches a bubbling, composed, cancelable `ehr-*` event; true unless a listener called preventDefault(). */
export function emitEhrEvent<K extends keyof EhrEventMap>(target: EventTarget, type: K, detail: EhrEventMap[K]): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: true }));
}
