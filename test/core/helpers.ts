import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { EhrElement, baseStyles, renderState, type UserMessage } from '@ehr-kit/core';
import type { AuthSource, AuthState } from '@ehr-kit/auth';
import type { FhirClient } from '@ehr-kit/fhir-client';

/** A consumer that shows what it got from core, as a person would see it. */
export class ProbeElement extends EhrElement {
  static override styles = baseStyles;
  @property({ attribute: 'patient-id' }) accessor patientId: string | undefined;
  renders = 0;
  reads = 0;

  readonly patient = this.fhirTask({
    operation: 'read Patient',
    args: () => [this.patientId] as const,
    run: async (fhir, [id], signal) => {
      this.reads++;
      if (!id) return undefined;
      return fhir.read('Patient', id, { signal });
    },
  });

  get client_(): FhirClient | undefined {
    return this.fhir;
  }
  get launch_() {
    return this.launch;
  }
  get session_() {
    return this.session;
  }
  emit_(type: 'ehr-error', detail: { error: unknown; operation: string }): boolean {
    return this.emit(type, detail);
  }
  fail_(error: unknown, operation: string): UserMessage {
    return this.fail(error, operation);
  }

  override render() {
    this.renders++;
    return html`<p class="base">${this.fhir?.baseUrl ?? 'no server'}</p>
      <p class="patient">${this.launch?.patient ?? ''}</p>
      <p class="status">${this.session?.status ?? ''}</p>
      <div class="task">
        ${renderState(this.patient, {
          empty: () => html`<p>none</p>`,
          complete: (p) => html`<p>${p?.id}</p>`,
        })}
      </div>`;
  }
}

/** A client double with only what the tests call; `calls` records reads. */
export function fakeClient(baseUrl: string, patients: Record<string, { id: string }> = {}): FhirClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    baseUrl,
    calls,
    async read(type: string, id: string) {
      calls.push(`${type}/${id}`);
      const p = patients[id];
      if (!p) throw Object.assign(new Error('not found'), { kind: 'http', status: 404, issues: [] });
      return { resourceType: type, ...p };
    },
  } as unknown as FhirClient & { calls: string[] };
}

/** An AuthSource double whose state the test drives. */
export function fakeAuth(initial: AuthState): AuthSource & { set(s: AuthState): void; signIns: number } {
  let state = initial;
  const listeners = new Set<(s: AuthState) => void>();
  const src = {
    signIns: 0,
    get state() {
      return state;
    },
    tokenSource: async () => 'tok-from-source',
    async init() {},
    async signIn() {
      src.signIns++;
    },
    async signOut() {
      src.set({ status: 'signed-out', launch: {} });
    },
    subscribe(l: (s: AuthState) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(s: AuthState) {
      state = s;
      for (const l of listeners) l(s);
    },
  };
  return src;
}

let n = 0;
/** A fresh tag per call (custom elements cannot be redefined). */
export function uniqueTag(prefix = 'probe-el'): string {
  return `${prefix}-${++n}-${Math.random().toString(36).slice(2, 7)}`;
}

export const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
