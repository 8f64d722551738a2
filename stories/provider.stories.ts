// <ehr-provider>'s sign-in states, for design review. Each story drives the provider with a stub
// AuthSource (no authorization server, no network): "Sign in" on the stub signs in after a short
// pause, so the prompt can be clicked through. The signed-in story shows a child element reading
// from an in-page mock FHIR server through the provider's client.
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { AuthSource, AuthState, AuthStatus } from '@ehr-kit/auth';
import { FhirClient } from '@ehr-kit/fhir-client';
import { createMockFhir, fixtures } from '@ehr-kit/mock-fhir';
import '@ehr-kit/core/define';
import '@ehr-kit/slot-picker/define';

interface Args {
  status: AuthStatus;
  error: string;
  popup: boolean;
  child: boolean;
}

/** An AuthSource that signs in when asked (after `delayMs`), and remembers how it was asked. */
function stubAuthSource(initial: AuthState, delayMs = 400): AuthSource & { asked: Array<{ popup?: boolean } | undefined> } {
  let state = initial;
  const listeners = new Set<(s: AuthState) => void>();
  const set = (s: AuthState) => {
    state = s;
    for (const l of listeners) l(s);
  };
  return {
    asked: [],
    get state() {
      return state;
    },
    tokenSource: async () => (state.status === 'signed-in' ? 'story-token' : undefined),
    async init() {},
    async signIn(options) {
      this.asked.push(options);
      set({ status: 'signing-in', launch: {} });
      await new Promise((r) => setTimeout(r, delayMs));
      set({ status: 'signed-in', fhirUser: `Patient/${fixtures.patients.ana.id}`, launch: { patient: fixtures.patients.ana.id } });
    },
    async signOut() {
      set({ status: 'signed-out', launch: {} });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A client over a private in-page mock (demo clinic) that sends the stub's token. */
function storyClient(auth: AuthSource): FhirClient {
  const mock = createMockFhir({ baseUrl: `http://provider-stories-${Math.random().toString(36).slice(2, 8)}.mock/fhir`, seed: 'demo' });
  return new FhirClient({ baseUrl: mock.baseUrl, fetch: mock.fetch, tokenSource: auth.tokenSource, retry: { attempts: 1 } });
}

const meta: Meta<Args> = {
  title: 'Elements/Provider',
  component: 'ehr-provider',
  args: { status: 'signed-out', error: '', popup: false, child: false },
  argTypes: {
    status: {
      control: 'select',
      options: ['signed-out', 'signing-in', 'signed-in', 'expired', 'denied', 'error'],
      description: 'Session state the stub AuthSource starts in',
    },
    error: { control: 'text', description: 'Error detail the source reports (status error)' },
    popup: { control: 'boolean', description: 'Sign in in a popup (keeps the host page)' },
    child: { control: 'boolean', description: 'Put an <ehr-slot-picker> inside' },
  },
  render: (a) => {
    const auth = stubAuthSource({ status: a.status, ...(a.error ? { error: a.error } : {}), launch: {} });
    return html`<ehr-provider auth="smart" ?popup=${a.popup} .authSource=${auth} .client=${storyClient(auth)}>
      ${a.child
        ? html`<ehr-slot-picker practitioner-id=${fixtures.practitioners.nguyen.id}></ehr-slot-picker>`
        : html`<p>The clinic's page content stays visible around the prompt.</p>`}
    </ehr-provider>`;
  },
};
export default meta;
type Story = StoryObj<Args>;

/** Not signed in yet: the prompt asks the person to sign in. */
export const SignedOut: Story = {};

/** The session ended while the person was working: what they typed is still there. */
export const Expired: Story = { args: { status: 'expired', child: true } };

/** The person (or the authorization server) refused access. */
export const Denied: Story = { args: { status: 'denied' } };

/** Sign-in failed (network, misconfiguration): the prompt offers to try again. */
export const SignInError: Story = { name: 'Error', args: { status: 'error', error: 'invalid_client' } };

/** Signed in: no prompt, and the element inside reads through the provider's client. */
export const SignedIn: Story = { args: { status: 'signed-in', child: true } };

/** `popup`: signing in opens a window, so a widget embedded in a host page keeps the page's state. */
export const Popup: Story = { args: { popup: true, child: true } };
