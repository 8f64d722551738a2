import { css } from 'lit';

/**
 * The shell's looks before the view is in: the skeleton and a load error with Try again, readable
 * on their own, themable through the public `--ehr-*` properties. The view replaces these with
 * core's full styles (tokens, buttons, alerts…) when it arrives, so the eager file carries none of them.
 */
export const shellStyles = css`
  :host {
    font-family: var(--ehr-font-family, system-ui, sans-serif);
    line-height: 1.5;
  }
  :host([hidden]) { display: none; }
  .skeleton { display: block; border-radius: var(--ehr-radius-s, 4px); background: var(--ehr-color-skeleton, #8883); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .alert { padding: 0.75rem 1rem; border: 1px solid var(--ehr-color-danger, #b3261e); border-radius: var(--ehr-radius-m, 8px); }
  .btn {
    min-height: 2.75rem;
    padding: 0.5rem 1rem;
    font: inherit;
    font-weight: 600;
    color: inherit;
    background: none;
    border: 1px solid;
    border-radius: var(--ehr-radius-m, 8px);
    cursor: pointer;
  }
  :focus-visible { outline: 3px solid var(--ehr-color-focus, #0b5cad); outline-offset: 2px; }
`;

/** The form's place and its skeleton (one block per field, in the form's columns, so the form takes about its place): the shell's and the view's. */
export const layoutStyles = css`
  :host { display: block; max-width: var(--ehr-patient-form-max-width, 48rem); }
  [part='loading'] {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--ehr-patient-form-column-min, 12rem)), 1fr));
    gap: var(--_space-5, 1.5rem) var(--_space-4, 1rem);
  }
  .skeleton.skeleton { height: 5rem; margin: 0; }
`;
