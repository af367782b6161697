// What a service needs to know about the request it serves, made once at the edge: who acts, the id that joins
// the request's audit rows, log lines and problem answers, and the channel it came in by. Services take it as
// their first argument after their dependencies instead of a principal and a request id passed separately.
import type { FastifyRequest } from 'fastify';
import { principalOf, type Principal } from './auth.ts';

export type Channel = 'web' | 'window' | 'api';

export interface RequestContext {
  readonly principal: Principal;
  /** Joins the audit rows, logs and problem answers of one request (a job's or command's own id otherwise). */
  readonly requestId: string;
  readonly channel: Channel;
}

/** The context of an authenticated request; routes call it once per handler. */
export function contextOf(request: FastifyRequest, channel: Channel = 'web'): RequestContext {
  return { principal: principalOf(request), requestId: String(request.id), channel };
}

/** A context for work that runs without a request (the seed, a command, a test) acting as `principal`. */
export function contextFor(principal: Principal, requestId: string, channel: Channel = 'web'): RequestContext {
  return { principal, requestId, channel };
}

/**
 * A service as an object of its named functions with their dependencies bound: `bindService(deps, { submit })`
 * gives `{ submit(...rest) }` for `submit(deps, ...rest)`. The functions stay exported and testable on their own;
 * the object is what routes, jobs and other modules hold (ADR 0019).
 */
// biome-ignore lint/suspicious/noExplicitAny: the functions' own signatures are kept through the mapped type.
type ServiceFn<D> = (deps: D, ...rest: any[]) => unknown;
type Bound<D, F extends Record<string, ServiceFn<D>>> = {
  [K in keyof F]: F[K] extends (deps: D, ...rest: infer A) => infer R ? (...rest: A) => R : never;
};

export function bindService<D, F extends Record<string, ServiceFn<D>>>(deps: D, fns: F): Bound<D, F> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(fns)) bound[name] = (...rest: unknown[]) => fn(deps, ...rest);
  return bound as Bound<D, F>;
}
