import type { z } from 'zod'
import { AppError } from './errors'
import type { AccessScope } from './policy'
import type { AccountRecord } from './repos/accounts'
import type { AccessClaims, SessionGuard } from './sessions'

/**
 * A route is data: method, path, the shared zod schemas of its inputs and answer, and the
 * domain call. Who may call it lives in the policy table (policy.ts) under its operationId. The
 * router enforces both; the OpenAPI document is generated from the same table, so docs and
 * behaviour cannot drift.
 */
export interface Caller {
  account: AccountRecord
  claims: AccessClaims
}

export interface RouteContext<P, Q, B, H = unknown> {
  params: P
  query: Q
  body: B
  /** Request headers the route declares (lower-case names), validated by its `headers` schema. */
  headers: H
  caller: Caller | null
  /**
   * Set only on `sessionInScript` routes for a resident: the session was verified by signature
   * alone, and the handler's write script must run this guard (see sessions.ts) before writing.
   */
  sessionGuard: SessionGuard | null
  /** What this caller may see on this route; pass it to repositories. */
  access: AccessScope
  /** The client address (behind Vercel or a proxy: the first X-Forwarded-For hop). */
  ip: string
  /** The public origin for links printed on posters: PUBLIC_ORIGIN, else this request's host. */
  origin: string
  requestId: string
  /** Sets a response header (e.g. Cache-Control for public reads). */
  setHeader(name: string, value: string): void
  /** Overrides the status of a successful answer (e.g. 503 from /api/health when degraded). */
  setStatus(status: number): void
}

export interface Route<P = unknown, Q = unknown, B = unknown, R = unknown, H = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** OpenAPI-style template: `/api/v1/stations/{code}`. */
  path: string
  operationId: string
  summary: string
  tag: string
  params?: z.ZodType<P>
  query?: z.ZodType<Q>
  body?: z.ZodType<B>
  /**
   * A resident's session is checked inside the handler's write script rather than by reads before
   * it (one round trip per request). The handler must pass `sessionGuard` to that script.
   */
  sessionInScript?: boolean
  /** Request headers it reads (lower-case names): validated like the body, listed in OpenAPI. */
  headers?: z.ZodType<H>
  response: z.ZodType<R>
  /** Media type of a successful answer when it is not JSON (the handler returns a BinaryBody). */
  produces?: string
  /** Status of a successful answer; 200 unless said otherwise. */
  status?: number
  /** Error codes this route can answer besides the ones every route can. */
  errors?: readonly string[]
  handler(context: RouteContext<P, Q, B, H>): Promise<R>
}

/** Keeps each route's types tied together while the table holds routes of many shapes. */
export function defineRoute<P = undefined, Q = undefined, B = undefined, R = unknown, H = undefined>(
  route: Route<P, Q, B, R, H>,
): Route {
  return route as unknown as Route
}

/**
 * A non-JSON answer (a PDF poster, a QR image). Routes that return one declare `produces` so the
 * OpenAPI document names the media type.
 */
export class BinaryBody {
  constructor(
    readonly contentType: string,
    readonly body: Uint8Array | string,
    readonly filename?: string,
  ) {}
}

/**
 * The signed-in caller of a route whose policy admits no anonymous caller (the router has already
 * refused those); throws 401 should a route be misconfigured.
 */
export function requireCaller(caller: Caller | null): Caller {
  if (!caller) throw new AppError('unauthenticated')
  return caller
}
