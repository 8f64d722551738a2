// Fault injection: per-route latency, error statuses (5xx, 429 with Retry-After, 409, 412),
// dropped connections (before or after the write happened) and a deterministic "flaky" mode.
import { rngFrom } from './util.ts';

/**
 * Which requests a fault applies to:
 * - `'*'` every request; `'Slot'` Slot and everything under it (`Slot/1`, `Slot/_search` …);
 * - `'PUT Slot/*'` a method and a path glob relative to the base URL (`''` or `'/'` is the base,
 *   where batch/transaction bundles are POSTed);
 * - a RegExp tested against `"METHOD path?query"`; or a predicate.
 */
export type Route = string | RegExp | ((method: string, path: string, request: Request) => boolean);

export interface FaultOptions {
  /** Apply this many times, then remove itself. Default: until removed or `clear()`. */
  times?: number;
}
export interface FailOptions extends FaultOptions {
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Diagnostics text of the OperationOutcome. */
  message?: string;
}
export interface DropOptions extends FaultOptions {
  /** Drop the connection *after* the request was processed (the write happened, the reply is lost). */
  after?: boolean;
}
export interface FlakyOptions {
  /** RNG seed; same seed, same sequence of failures. Default 'flaky'. */
  seed?: string;
  route?: Route;
  /** Statuses to pick from when not dropping. Default [503]. */
  statuses?: number[];
  /** Also drop connections (half of the failures). Default true. */
  drop?: boolean;
}
export interface FaultHandle {
  remove(): void;
}

export interface Rule {
  match: (method: string, path: string, search: string, request: Request) => boolean;
  kind: 'latency' | 'status' | 'drop';
  ms?: number;
  status?: number;
  retryAfter?: number;
  message?: string;
  after?: boolean;
  times?: number;
}

export type FaultDecision =
  | { kind: 'status'; status: number; retryAfter?: number; message?: string }
  | { kind: 'drop'; after: boolean }
  | undefined;

function compile(route: Route): Rule['match'] {
  if (typeof route === 'function') return (m, p, _s, r) => route(m, p, r);
  if (route instanceof RegExp) return (m, p, s) => route.test(`${m} ${p}${s}`);
  const trimmed = route.trim();
  if (trimmed === '*') return () => true;
  const sp = trimmed.indexOf(' ');
  const method = sp > 0 ? trimmed.slice(0, sp).toUpperCase() : undefined;
  let glob = (sp > 0 ? trimmed.slice(sp + 1) : trimmed).replace(/^\/+/, '');
  const bare = /^[A-Z][A-Za-z]*$/.test(glob);
  if (method && glob === '*') glob = '**';
  const re = new RegExp(
    '^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*') + (bare ? '(/.*)?' : '') + '$',
  );
  return (m, p) => (!method || method === m) && re.test(p);
}

export class Faults {
  /** Active rules, in the order added. */
  readonly rules: Rule[] = [];
  private flakyState: { rate: number; rng: () => number; match: Rule['match']; statuses: number[]; drop: boolean } | undefined;

  private add(rule: Rule): FaultHandle {
    this.rules.push(rule);
    return { remove: () => this.removeRule(rule) };
  }
  private removeRule(rule: Rule): void {
    const i = this.rules.indexOf(rule);
    if (i >= 0) this.rules.splice(i, 1);
  }

  /** Delays matching requests by `ms` (adds up with other latency rules). */
  latency(route: Route, ms: number, options: FaultOptions = {}): FaultHandle {
    return this.add({ match: compile(route), kind: 'latency', ms, times: options.times });
  }
  /** Answers matching requests with `status` (default 503) and an OperationOutcome, without processing them. */
  fail(route: Route, status = 503, options: FailOptions = {}): FaultHandle {
    return this.add({ match: compile(route), kind: 'status', status, retryAfter: options.retryAfter, message: options.message, times: options.times });
  }
  /** 429 Too Many Requests with Retry-After (seconds, default 1). */
  rateLimit(route: Route, retryAfter = 1, options: FaultOptions = {}): FaultHandle {
    return this.fail(route, 429, { retryAfter, times: options.times });
  }
  /** The connection drops: fetch rejects with a TypeError (network error). */
  drop(route: Route, options: DropOptions = {}): FaultHandle {
    return this.add({ match: compile(route), kind: 'drop', after: options.after ?? false, times: options.times });
  }
  /** 412 Precondition Failed, as if someone else had just changed the resource. Default once. */
  preconditionFailed(route: Route, options: FaultOptions = {}): FaultHandle {
    return this.fail(route, 412, { times: options.times ?? 1, message: 'The resource was changed by someone else (version conflict)' });
  }
  /** 409 Conflict. Default once. */
  conflict(route: Route, options: FaultOptions = {}): FaultHandle {
    return this.fail(route, 409, { times: options.times ?? 1, message: 'Conflict' });
  }
  /** Fails a share `rate` (0..1) of matching requests, deterministically from `seed`. `flaky(0)` turns it off. */
  flaky(rate: number, options: FlakyOptions = {}): FaultHandle {
    this.flakyState =
      rate > 0
        ? {
            rate,
            rng: rngFrom(options.seed ?? 'flaky'),
            match: compile(options.route ?? '*'),
            statuses: options.statuses ?? [503],
            drop: options.drop ?? true,
          }
        : undefined;
    return { remove: () => (this.flakyState = undefined) };
  }
  /** Removes every fault. */
  clear(): void {
    this.rules.length = 0;
    this.flakyState = undefined;
  }

  /** Total latency to apply to this request. */
  latencyFor(method: string, path: string, search: string, request: Request): number {
    let ms = 0;
    for (const rule of [...this.rules]) {
      if (rule.kind === 'latency' && rule.match(method, path, search, request)) {
        ms += rule.ms ?? 0;
        this.consume(rule);
      }
    }
    return ms;
  }

  /** The failure to inject for this request, if any (consumes `times`). */
  decide(method: string, path: string, search: string, request: Request): FaultDecision {
    for (const rule of this.rules) {
      if (rule.kind === 'latency' || !rule.match(method, path, search, request)) continue;
      this.consume(rule);
      if (rule.kind === 'drop') return { kind: 'drop', after: rule.after ?? false };
      return { kind: 'status', status: rule.status ?? 503, retryAfter: rule.retryAfter, message: rule.message };
    }
    const f = this.flakyState;
    if (f && f.match(method, path, search, request) && f.rng() < f.rate) {
      if (f.drop && f.rng() < 0.5) return { kind: 'drop', after: false };
      const status = f.statuses[Math.floor(f.rng() * f.statuses.length)] ?? 503;
      return { kind: 'status', status, retryAfter: status === 429 || status === 503 ? 1 : undefined };
    }
    return undefined;
  }

  private consume(rule: Rule): void {
    if (rule.times === undefined) return;
    rule.times--;
    if (rule.times <= 0) this.removeRule(rule);
  }
}
