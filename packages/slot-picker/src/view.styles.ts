import { css, type CSSResult } from 'lit';
import { hostStyles, skeletonStyles, tokens } from '@ehr-kit/core/styles';

/**
 * The picker's stylesheet, adopted by the element when the view's code is in (it replaces the
 * shell's few rules, so it has the loading and error states too). Static styles only (strict CSP:
 * no style attributes, no inline style bindings).
 */
export const viewStyles: CSSResult[] = [
  // Of core's base rules, the ones the picker uses (its buttons and messages are its own).
  tokens,
  hostStyles,
  skeletonStyles,
  css`
  :host {
    --_gap: var(--ehr-slot-picker-gap, var(--_space-2));
    --_target: var(--ehr-slot-picker-target-size, 2.75rem);
    --_accent: var(--ehr-slot-picker-accent, var(--_color-primary));
    --_on-accent: var(--ehr-slot-picker-on-accent, var(--_color-on-primary));
    --_surface: var(--_color-surface);
    --_text: var(--_color-text);
    --_muted: var(--_color-text-muted);
    --_border: var(--_color-border);
    --_subtle: var(--_color-surface-alt);
    --_danger: var(--_color-danger);
    --_success: var(--_color-success);
    --_radius: var(--_radius-m);
    display: block;
    container-type: inline-size;
  }
  .base {
    background: var(--_surface);
    border-radius: var(--_radius);
    display: grid;
    gap: calc(var(--_gap) * 2);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
  }
  .range {
    flex: 1 1 12rem;
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
  }
  .zone {
    flex-basis: 100%;
    margin: 0;
    color: var(--_muted);
    font-size: 0.9375rem;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
    min-height: var(--_target);
    min-width: var(--_target);
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_surface);
    padding: 0.375rem 0.75rem;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  /* the action to take, the chosen day, the chosen time */
  .primary,
  .day[aria-selected='true'],
  .time[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .days {
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(4.5rem, 1fr);
    gap: var(--_gap);
    overflow-x: auto;
    padding: 4px;
    scrollbar-width: thin;
  }
  .day {
    display: grid;
    justify-items: center;
    gap: 0.125rem;
    padding: 0.5rem 0.25rem;
  }
  .day.none:not([aria-selected='true']) {
    background: var(--_subtle);
    color: var(--_muted);
  }
  .weekday {
    font-weight: 600;
  }
  .count {
    font-size: 0.8125rem;
  }
  .panel {
    display: grid;
    gap: calc(var(--_gap) * 2);
  }
  .busy {
    opacity: 0.6;
  }
  .part {
    /* a busy day has hundreds of times: lay out and paint only the groups on screen */
    content-visibility: auto;
    contain-intrinsic-size: auto 12rem;
  }
  .part h3 {
    margin: 0 0 var(--_gap);
    font-size: 1rem;
    font-weight: 600;
    color: var(--_muted);
  }
  .times {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(5.5rem, 1fr));
    gap: var(--_gap);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .time {
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  .message {
    margin: 0;
    padding: 0.75rem 1rem;
    border-radius: var(--_radius);
    background: var(--_subtle);
  }
  .message p {
    margin: 0.25rem 0 0;
  }
  .message.error,
  .message.conflict,
  .message.unsure {
    border-left: 4px solid var(--_danger);
    background: var(--_color-danger-surface);
  }
  .message.success {
    border-left: 4px solid var(--_success);
    background: var(--_color-success-surface);
  }
  .title {
    font-weight: 600;
    margin: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    margin-top: var(--_gap);
  }
  .confirm {
    display: grid;
    gap: var(--_gap);
    padding: 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .confirm h3 {
    margin: 0;
    font-size: 1.125rem;
  }
  .confirm .when {
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
  }
  /* the placeholder (core's renderLoading): a day strip and rows of times, about the view's height */
  [part='loading'] {
    display: grid;
    gap: var(--_gap);
  }
  [part='loading'] .skeleton {
    height: var(--_target);
    width: auto;
    margin: 0;
    border-radius: var(--_radius);
  }
  [part='loading'] .skeleton:nth-child(2) {
    height: 5.75rem;
  }
  @media (pointer: coarse) {
    :host {
      --_target: var(--ehr-slot-picker-target-size, 3rem);
    }
  }
  @container (max-width: 30rem) {
    .times {
      grid-template-columns: repeat(3, 1fr);
    }
    .days {
      grid-auto-columns: 4.25rem;
    }
  }
`,
];
