import type { z } from 'zod'
import type { Role } from '../../src/shared/catalog'
import type { AccountRecord } from './repos/accounts'

/**
 * A route is data: method, path, who may call it, the shared zod schemas of its inputs and
 * answer, and the domain call. The router enforces the schemas and the access rule; the
 * OpenAPI document is generated from the same table, so docs and behaviour cannot drift.
 */
export type Access = 'public' | 'signed-in' | readonly Role[]

export interface Caller {
  account: AccountRecord
}

export interface RouteContext<P, Q, B> {
  params: P
  query: Q
  body: B
  caller: Caller | null
  requestId: string
  /** Sets a response header (e.g. Cache-Control for public reads). */
  setHeader(name: string, value: string): void
  /** Overrides the status of a successful answer (e.g. 503 from /api/health when degraded). */
  setStatus(status: number): void
}

export interface Route<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** OpenAPI-style template: `/api/v1/stations/{code}`. */
  path: string
  operationId: string
  summary: string
  tag: string
  access: Access
  params?: z.ZodType<P>
  query?: z.ZodType<Q>
  body?: z.ZodType<B>
  response: z.ZodType<R>
  /** Status of a successful answer; 200 unless said otherwise. */
  status?: number
  /** Error codes this route can answer besides the ones every route can. */
  errors?: readonly string[]
  handler(context: RouteContext<P, Q, B>): Promise<R>
}

/** Keeps each route's types tied together while the table holds routes of many shapes. */
export function defineRoute<P = undefined, Q = undefined, B = undefined, R = unknown>(
  route: Route<P, Q, B, R>,
): Route {
  return route as unknown as Route
}
