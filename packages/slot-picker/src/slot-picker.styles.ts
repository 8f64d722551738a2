import { css } from 'lit';

/**
 * The shell's own rules: the loading placeholder and the error state, readable before the view's
 * stylesheet (view.styles.ts, with the kit's tokens) is in — then that one replaces these. Static
 * styles only (strict CSP).
 */
export const shellStyles = css`
  :host {
    display: block;
    font-family: var(--ehr-font-family, system-ui, sans-serif);
    line-height: 1.5;
  }
  .base {
    display: grid;
    gap: 1rem;
  }
  /* about the view's height: a day strip and rows of times (as in view.styles.ts) */
  [part='loading'] {
    display: grid;
    gap: 0.5rem;
  }
  .range {
    margin: 0;
    font-size: 1.125rem;
  }
  .skeleton {
    height: 2.75rem;
    border-radius: 8px;
    background: var(--ehr-color-skeleton, #8884);
  }
  .skeleton:nth-child(2) {
    height: 5.75rem;
  }
  .visually-hidden {
    position: absolute;
    clip-path: inset(50%);
  }
  button {
    font: inherit;
    min-height: 2.75rem;
  }
`;
