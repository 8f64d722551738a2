import { define } from '@ehr-kit/core/element';
import { EhrSlotPicker } from './slot-picker.js';

define('ehr-slot-picker', EhrSlotPicker);

declare global {
  interface HTMLElementTagNameMap {
    'ehr-slot-picker': EhrSlotPicker;
  }
}

export { EhrSlotPicker };
