import { define } from './define-element.js';
import { EhrProvider } from './provider.js';

define('ehr-provider', EhrProvider);

declare global {
  interface HTMLElementTagNameMap {
    'ehr-provider': EhrProvider;
  }
}
