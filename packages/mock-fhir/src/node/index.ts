// In Node: the mock as an HTTP server (node:http, CORS on) with the signalling relay (ws) under
// /signal, and MSW handlers for msw/node. Runs from source on Node 22 (type stripping).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { mockFhirHandlers } from '../handlers.ts';
import { createMockFhir, type MockFhir, type MockFhirOptions } from '../index.ts';
import { corsHeaders } from '../mock.ts';
import { createSignalRelay, type SignalRelay } from '../signal.ts';

export interface MockFhirServerOptions extends MockFhirOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Log each request to stdout. */
  log?: boolean;
}

export interface MockFhirServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:8080/fhir */
  url: string;
  /** ws://…/signal */
  signalingUrl: string;
  mock: MockFhir;
  relay: SignalRelay;
  close(): Promise<void>;
}

/**
 * Serves the mock at http://host:port/fhir (POST /fhir/$reset or /__reset restores the seed).
 * Private stores for parallel test files: http://host:port/t/{tenant}/fhir, created on first use,
 * empty unless the tenant name starts with 'demo' (then seeded with the demo clinic).
 */
export async function startMockFhirServer(options: MockFhirServerOptions = {}): Promise<MockFhirServer> {
  const host = options.host ?? '127.0.0.1';
  const mock = createMockFhir({ baseUrl: '/fhir', ...options });
  const relay = createSignalRelay();
  const tenants = new Map<string, MockFhir>();
  const pick = (url: string): MockFhir => {
    const m = /^\/t\/([^/]+)\/fhir(\/|$)/.exec(new URL(url).pathname);
    if (!m) return mock;
    const name = decodeURIComponent(m[1]!);
    let t = tenants.get(name);
    if (!t) {
      t = createMockFhir({ ...options, baseUrl: `/t/${m[1]}/fhir`, seed: name.startsWith('demo') ? 'demo' : 'empty' });
      tenants.set(name, t);
    }
    return t;
  };
  const server = createServer((req, res) => {
    serve(pick(`http://localhost${req.url ?? '/'}`), req, res, options.log ?? false).catch((err) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err?.stack ?? err));
    });
  });
  const wss = new WebSocketServer({ server, path: '/signal' });
  wss.on('connection', (socket) => {
    const conn = relay.connect({ send: (data) => socket.send(data) });
    socket.on('message', (data) => conn.message(String(data)));
    socket.on('close', () => conn.close());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}${mock.baseUrl.startsWith('/') ? mock.baseUrl : new URL(mock.baseUrl).pathname}`,
    signalingUrl: `ws://${origin.slice('http://'.length)}/signal`,
    mock,
    relay,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(mock: MockFhir, req: IncomingMessage, res: ServerResponse, log: boolean): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  const method = req.method ?? 'GET';
  const request = new Request(url, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' || chunks.length === 0 ? undefined : Buffer.concat(chunks),
  });
  const cors = corsHeaders(request);
  const path = new URL(url).pathname;
  let response: Response;
  if (method === 'OPTIONS') response = new Response(null, { status: 204 });
  else if (!mock.owns(url)) response = new Response(`Not found: ${path}. The FHIR base is ${mock.baseUrl}`, { status: 404, headers: { 'Content-Type': 'text/plain' } });
  else response = await mock.handle(request);
  if (log) console.log(`${method} ${req.url} → ${response.type === 'error' ? 'dropped' : response.status}`);
  if (response.type === 'error') {
    req.socket.destroy();
    return;
  }
  // A dropped connection must look dropped: Chromium silently retries an idempotent request once
  // when a *reused* keep-alive socket closes, so every response closes its connection.
  const out: Record<string, string> = { ...cors, Connection: 'close' };
  response.headers.forEach((v, k) => (out[k] = v));
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, out);
  res.end(body);
}

export { mockFhirHandlers, createMockFhir, createSignalRelay };
export type { MockFhir, MockFhirOptions };
