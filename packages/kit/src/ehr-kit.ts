/**
 * Entry of the single-file build (`dist/ehr-kit.js`): registers every element and exports the
 * whole API, for `<script type="module" src=".../ehr-kit.js">` use. Code only some pages need
 * (SMART sign-in, Spanish translations) stays in lazy chunks next to it (dist/chunks/).
 */
export * from './index.js';
import './define.js';
