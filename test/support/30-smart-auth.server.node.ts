/**
 * A real OAuth 2 / OpenID Connect server (`oidc-provider`) configured as a SMART App Launch 2.x
 * authorization server, for the browser suites in test/auth/. Started by web-test-runner.config.mjs.
 *
 * Listens on 127.0.0.1 (random port); its issuer is `http://localhost:<port>` so it is same-site
 * with the test page (http://localhost:<wtr port>): its Lax session cookies then work in popups and
 * windows the tests open. env: authServerUrl = issuer, smartFhirUrl = {issuer}/fhir,
 * smartFhirV1Url = {issuer}/fhir-v1 (a server that only declares SMART v1 scopes).
 *
 * Clients are made up on demand from their client_id, so each test can use its own and find its own
 * requests in the log. Every client is public (token_endpoint_auth_method none, PKCE S256 required),
 * a native-type client with loopback redirect URIs (any localhost port), allowed CORS from any
 * localhost origin. The client_id chooses the behaviour:
 *   …-deny           the user declines consent: error=access_denied on the callback
 *   …-hang           the consent page waits forever (the user closes the popup)
 *   …-short          access tokens live 3 s (refresh tests)
 *   …-refresh-fails  access tokens live 3 s and every refresh is answered invalid_grant
 *   anything else    auto-login (a fixed practitioner) and auto-consent to whatever was asked
 *
 * SMART behaviour on top of oidc-provider:
 *   - SMART scopes (v2 and v1, launch, launch/patient, fhirUser, offline_access) are accepted;
 *   - `launch` and `aud` authorize params; `aud` must name one of this server's FHIR bases;
 *   - `offline_access` issues a refresh token (oidc-provider, per OIDC Core, only does so with
 *     prompt=consent, which SMART clients do not send: the server adds it);
 *   - the token response carries the launch context (`patient`, `encounter`,
 *     `need_patient_banner`, `fhirContext`, `intent`): from a launch registered with
 *     POST /__test/launch for an EHR launch, or a fixed patient for standalone `launch/patient`;
 *   - `fhirUser` in the id_token.
 *
 * FHIR: {issuer}/fhir and {issuer}/fhir-v1 are each an in-process @ehr-kit/mock-fhir (demo seed plus
 * the launch patient), whose `smart` option makes it serve this server's
 * `.well-known/smart-configuration`. In front of it, this server lets a request through only with
 * a valid, unexpired access token it issued (else 401) and logs the Authorization header. If the
 * mock cannot be loaded, a private tenant of the reference server stands in.
 *
 * Test endpoints: POST /__test/launch {patient?, encounter?, need_patient_banner?, fhirContext?,
 * intent?} → {launch}; GET /__test/log?client_id=… → {authorize: [query…], token: [{grant_type,
 * client_id, status}], fhir: [{method, path, authorization, status}]}.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
// @ts-ignore oidc-provider ships no type declarations
import { Provider, errors } from 'oidc-provider';
// @ts-ignore internal module, the provider's own in-memory adapter
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

interface LaunchContextJson {
  patient?: string;
  encounter?: string;
  need_patient_banner?: boolean;
  fhirContext?: Array<{ reference?: string; type?: string; role?: string }>;
  intent?: string;
}
interface ServerLogFhir {
  method: string;
  path: string;
  authorization?: string;
  status: number;
  client_id?: string;
}
interface Env {
  mockFhirUrl?: string;
  referenceFhirOrigin?: string;
  referenceFhirUrl?: string;
  [key: string]: string | undefined;
}

export const STANDALONE_PATIENT = 'smart-patient-1';
export const STANDALONE_ENCOUNTER = 'smart-encounter-1';
const PRACTITIONER = 'smart-practitioner-1';

const SMART_SCOPES = [
  'openid', 'fhirUser', 'profile', 'offline_access', 'online_access', 'launch', 'launch/patient', 'launch/encounter',
  'patient/*.rs', 'patient/*.r', 'patient/*.cruds', 'patient/*.cud', 'user/*.rs', 'user/*.cruds', 'user/*.cud',
  'patient/Patient.rs', 'patient/Observation.rs', 'patient/Observation.cruds', 'user/Patient.rs', 'user/Patient.cruds',
  'patient/*.read', 'patient/*.write', 'patient/*.*', 'user/*.read', 'user/*.write', 'user/*.*',
];

export async function start(env: Env): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://localhost:${port}`;
  const fhirBases = [`${issuer}/fhir`, `${issuer}/fhir-v1`];

  const launches = new Map<string, LaunchContextJson>();
  const contexts = new Map<string, LaunchContextJson>(); // grantId → launch context
  const log = {
    authorize: [] as Array<Record<string, string>>,
    token: [] as Array<{ grant_type?: string; client_id?: string; status: number }>,
    fhir: [] as ServerLogFhir[],
  };

  const behaviour = (clientId: string) => ({
    deny: clientId.endsWith('-deny'),
    hang: clientId.endsWith('-hang'),
    short: clientId.endsWith('-short') || clientId.endsWith('-refresh-fails'),
    refreshFails: clientId.endsWith('-refresh-fails'),
  });

  class Adapter extends MemoryAdapter {
    async find(id: string) {
      if ((this as unknown as { model: string }).model !== 'Client') return super.find(id);
      return {
        client_id: id,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [
          'http://localhost/test/auth/fixtures/smart-app.html',
          'http://localhost/test/auth/fixtures/provider-app.html',
          'http://localhost/test/auth/fixtures/popup-callback.html',
        ],
      };
    }
  }

  const provider = new Provider(issuer, {
    adapter: Adapter,
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    clients: [],
    cookies: { keys: ['ehr-kit-test-cookie-key'] },
    scopes: SMART_SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    extraParams: {
      launch: null,
      aud(_ctx: unknown, value: string | undefined) {
        if (value !== undefined && !fhirBases.includes(value.replace(/\/+$/, ''))) {
          throw new errors.InvalidRequest('aud does not name a FHIR server this authorization server protects');
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true, allowedPolicy: () => true },
      userinfo: { enabled: true },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    clientBasedCORS: (_ctx: unknown, origin: string) => isLocalOrigin(origin),
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, fhirUser: `${issuer}/fhir/Practitioner/${PRACTITIONER}`, name: 'Test Practitioner' }),
    }),
    ttl: {
      AccessToken: (_ctx: unknown, _token: unknown, client: { clientId: string }) => (behaviour(client.clientId).short ? 3 : 3600),
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 86_400,
      Grant: 86_400,
      Interaction: 600,
      Session: 86_400,
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>error</title><pre>${escapeHtml(JSON.stringify(out))}</pre>`;
    },
  });
  provider.proxy = false;

  // Auto-login, auto-consent (or deny), and the SMART bits oidc-provider does not do by itself.
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method === 'GET' && ctx.path === '/auth') {
      const query = Object.fromEntries(new URLSearchParams(ctx.querystring)) as Record<string, string>;
      log.authorize.push(query);
      const scopes = (query.scope ?? '').split(' ');
      if (scopes.includes('offline_access') && !query.prompt) ctx.querystring = `${ctx.querystring}&prompt=consent`;
    }

    const interaction = /^\/interaction\/([^/]+)$/.exec(ctx.path);
    if (ctx.method === 'GET' && interaction) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      const { prompt, params, session } = details;
      let result: Record<string, unknown>;
      if (prompt.name === 'login') {
        result = { login: { accountId: PRACTITIONER } };
      } else if (behaviour(params.client_id).hang) {
        // A consent screen nobody answers (the test closes the popup).
        ctx.type = 'html';
        ctx.body = '<!doctype html><title>Consent</title><h1>Allow access?</h1>';
        return;
      } else if (behaviour(params.client_id).deny) {
        result = { error: 'access_denied', error_description: 'The user declined to share their data.' };
      } else {
        const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
        grant.addOIDCScope(params.scope);
        const grantId = await grant.save();
        const scopes = String(params.scope ?? '').split(' ');
        let context: LaunchContextJson = {};
        if (params.launch) {
          const registered = launches.get(params.launch);
          if (!registered) {
            result = { error: 'invalid_request', error_description: 'unknown launch' };
            ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true }));
            return;
          }
          context = registered;
        } else if (scopes.includes('launch/patient')) {
          context = { patient: STANDALONE_PATIENT, need_patient_banner: true };
        }
        contexts.set(grantId, context);
        result = { consent: { grantId } };
      }
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true }));
      return;
    }

    await next();

    if (ctx.path === '/token' && ctx.method === 'POST') {
      const grantType: string | undefined = ctx.oidc?.params?.grant_type;
      const clientId: string | undefined = ctx.oidc?.client?.clientId;
      if (grantType === 'refresh_token' && clientId && behaviour(clientId).refreshFails) {
        ctx.status = 400;
        ctx.body = { error: 'invalid_grant', error_description: 'refresh token revoked (test client)' };
      } else if (ctx.status === 200 && ctx.body?.access_token) {
        const token = await provider.AccessToken.find(ctx.body.access_token);
        const context = token ? contexts.get(token.grantId) : undefined;
        if (context && grantType === 'authorization_code') Object.assign(ctx.body, context);
      }
      log.token.push({ grant_type: grantType, client_id: clientId, status: ctx.status });
    }
  });

  // The FHIR servers behind /fhir and /fhir-v1: the mock (@ehr-kit/mock-fhir, in process), told by
  // its `smart` option to advertise this authorization server; without it, the reference server.
  const backends = new Map<string, (request: Request) => Promise<Response>>();
  try {
    const { createMockFhir } = await import('../../packages/mock-fhir/src/index.ts');
    for (const base of fhirBases) {
      const mock = createMockFhir({ baseUrl: base, seed: 'demo', smart: smartConfiguration(issuer, base.endsWith('-v1') ? 'v1' : 'v2') });
      backends.set(base, (request) => mock.handle(request));
    }
  } catch (error) {
    const origin = (env.referenceFhirOrigin ?? '').replace(/\/+$/, '');
    if (!origin) throw error;
    console.warn(`30-smart-auth: mock FHIR unavailable (${String(error)}); using the reference server`);
    for (const base of fhirBases) {
      const upstream = `${origin}/t/smart-auth/fhir`;
      backends.set(base, async (request) => {
        const url = new URL(request.url);
        const rest = url.pathname.slice(new URL(base).pathname.length);
        if (rest === '/.well-known/smart-configuration') {
          return Response.json(smartConfiguration(issuer, base.endsWith('-v1') ? 'v1' : 'v2'));
        }
        const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
        return fetch(upstream + rest + url.search, { method: request.method, headers: request.headers, body });
      });
    }
  }
  for (const [base, handle] of backends) await seed(base, handle);

  const oidc = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname.startsWith('/__test/')) return void testEndpoint(req, res, url).catch((e) => fail(res, e));
    const base = fhirBases.find((b) => url.pathname === new URL(b).pathname || url.pathname.startsWith(new URL(b).pathname + '/'));
    if (base) return void fhirEndpoint(req, res, url, base).catch((e) => fail(res, e));
    oidc(req, res);
  });

  async function testEndpoint(req: IncomingMessage, res: ServerResponse, url: URL) {
    cors(req, res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (url.pathname === '/__test/launch' && req.method === 'POST') {
      const body = JSON.parse((await readBody(req)) || '{}') as LaunchContextJson;
      const launch = randomUUID();
      launches.set(launch, body);
      return json(res, 200, { launch });
    }
    if (url.pathname === '/__test/log') {
      const clientId = url.searchParams.get('client_id');
      const mine = <T extends object>(rows: T[]) =>
        clientId ? rows.filter((r) => (r as { client_id?: string }).client_id === clientId) : rows;
      return json(res, 200, { authorize: mine(log.authorize), token: mine(log.token), fhir: mine(log.fhir) });
    }
    json(res, 404, { error: 'not found' });
  }

  async function fhirEndpoint(req: IncomingMessage, res: ServerResponse, url: URL, base: string) {
    cors(req, res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const rest = url.pathname.slice(new URL(base).pathname.length);
    const discovery = rest === '/.well-known/smart-configuration';
    let entry: ServerLogFhir | undefined;
    if (!discovery) {
      const authorization = req.headers.authorization;
      const bearer = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
      const found = bearer ? await provider.AccessToken.find(bearer) : undefined;
      // Stricter than oidc-provider's 15 s clock tolerance, so expiry tests see a 401 on time.
      const token = found && !found.isExpired ? found : undefined;
      entry = { method: req.method ?? 'GET', path: rest + url.search, authorization, status: 0, client_id: token?.clientId as string | undefined };
      log.fhir.push(entry);
      if (!token) {
        entry.status = 401;
        res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        return json(res, 401, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'login', diagnostics: bearer ? 'invalid or expired access token' : 'access token required' }],
        }, 'application/fhir+json');
      }
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    const headers: Record<string, string> = {};
    for (const h of ['accept', 'content-type', 'if-match', 'if-none-exist', 'if-none-match', 'prefer']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const upstream = await backends.get(base)!(new Request(url.href, { method: req.method, headers, body }));
    if (entry) entry.status = upstream.status;
    const out: Record<string, string> = {};
    for (const h of ['content-type', 'etag', 'location', 'content-location', 'last-modified']) {
      const v = upstream.headers.get(h);
      if (v) out[h] = v;
    }
    res.writeHead(upstream.status, out).end(Buffer.from(await upstream.arrayBuffer()));
  }

  return {
    env: { authServerUrl: issuer, smartFhirUrl: `${issuer}/fhir`, smartFhirV1Url: `${issuer}/fhir-v1` },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function smartConfiguration(issuer: string, version: 'v1' | 'v2') {
  const v2 = version === 'v2';
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/token/revocation`,
    userinfo_endpoint: `${issuer}/me`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    response_types_supported: ['code'],
    scopes_supported: SMART_SCOPES.filter((s) => (v2 ? !/\.(read|write|\*)$/.test(s) : !/\.[cruds]+$/.test(s))),
    capabilities: [
      'launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-ehr-encounter',
      'context-standalone-patient', 'context-banner', 'sso-openid-connect', 'permission-offline',
      'permission-patient', 'permission-user', v2 ? 'permission-v2' : 'permission-v1',
    ],
  };
}

/** Puts the standalone-launch patient (and an encounter) into a FHIR backend. */
async function seed(base: string, handle: (request: Request) => Promise<Response>) {
  const put = async (resource: { resourceType: string; id: string }) => {
    const res = await handle(
      new Request(`${base}/${resource.resourceType}/${resource.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(resource),
      }),
    );
    if (!res.ok) throw new Error(`30-smart-auth: seeding ${resource.resourceType}/${resource.id} failed: HTTP ${res.status}`);
  };
  await put({
    resourceType: 'Patient',
    id: STANDALONE_PATIENT,
    name: [{ family: 'Launchwell', given: ['Sam'] }],
    gender: 'female',
    birthDate: '1980-04-02',
  } as { resourceType: string; id: string });
  await put({
    resourceType: 'Encounter',
    id: STANDALONE_ENCOUNTER,
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${STANDALONE_PATIENT}` },
  } as { resourceType: string; id: string });
}

function isLocalOrigin(origin: string | undefined): boolean {
  if (!origin) return false;
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

function cors(req: IncomingMessage, res: ServerResponse) {
  const origin = req.headers.origin;
  if (origin && isLocalOrigin(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'origin');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, accept, if-match, if-none-exist, if-none-match, prefer');
    res.setHeader('access-control-expose-headers', 'etag, location, last-modified, www-authenticate');
  }
}

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}

function fail(res: ServerResponse, error: unknown) {
  if (!res.headersSent) json(res, 500, { error: 'server_error', error_description: String(error) });
  else res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
