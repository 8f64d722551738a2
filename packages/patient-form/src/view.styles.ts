import { css } from 'lit';

/** The form's own stylesheet, adopted with core's when the view arrives (the place and skeleton rules: patient-form.styles.ts). */
export const styles = css`
  form { display: grid; gap: var(--ehr-patient-form-gap, var(--_space-4)); }
  fieldset.section {
    border: 1px solid var(--_color-border);
    border-radius: var(--_radius-m);
    padding: var(--_space-3) var(--_space-4) 0;
    margin: 0;
    min-width: 0;
  }
  fieldset.section > legend { font-weight: var(--_font-weight-strong); font-size: var(--_font-size-l); padding-inline: var(--_space-1); }
  .row {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--ehr-patient-form-column-min, 12rem)), 1fr));
    column-gap: var(--_space-4);
    /* A neighbour's hint or error must not stretch this field's control. */
    align-items: start;
  }
  .row > .field { min-width: 0; align-content: start; }
  .checks { display: grid; gap: var(--_space-2); margin-block-end: var(--_space-2); }
  .check { display: flex; gap: var(--_space-2); align-items: center; min-height: 2.75rem; }
  .check input { width: 1.25rem; height: 1.25rem; margin: 0; }
  .actions { display: flex; flex-wrap: wrap; gap: var(--_space-3); align-items: center; }
  .panel h2 { font-size: var(--_font-size-l); margin: 0 0 var(--_space-2); }
  .panel:focus { outline: 3px solid var(--_color-focus); outline-offset: 2px; }
  .panel ul { margin: 0 0 var(--_space-3); padding-inline-start: var(--_space-5); }
  .diff { border: 0; padding: 0; margin: 0 0 var(--_space-3); min-width: 0; }
  .diff legend { font-weight: var(--_font-weight-strong); }
  .diff .check { align-items: flex-start; overflow-wrap: anywhere; }
  .value { white-space: pre-wrap; overflow-wrap: anywhere; }
  .empty-value { font-style: italic; color: var(--_color-text-muted); }
  input.input, select.input { overflow: hidden; text-overflow: ellipsis; }
  .input[readonly], .input:disabled { background: var(--_color-surface-alt); }
`;
