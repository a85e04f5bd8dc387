import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { audit } from './audit'
import { env } from './env'
import { AppError, validationError } from './errors'
import { parseQuery, readJsonBody, requestIdFrom } from './http'
import { describeError, log } from './log'
import { POLICY, type Policy, type Caller as PolicyCaller, resolveScope } from './policy'
import { clientIp } from './ratelimit'
import type { AccountRecord } from './repos/accounts'
import { BinaryBody, type Caller, type Route } from './route'
import { checkAccess, type SessionGuard, sessionGuard, verifyAccessToken } from './sessions'
import { isStoreUnavailable } from './store'

interface CompiledRoute {
  route: Route
  pattern: RegExp
  names: string[]
}

function compile(route: Route): CompiledRoute {
  const names: string[] = []
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a, b) => {
      names.push(a ?? b)
      return '([^/]+)'
    })
  return { route, pattern: new RegExp(`^${source}$`), names }
}

function parseWith<T>(schema: z.ZodType<T> | undefined, input: unknown): T {
  if (!schema) return undefined as T
  const result = schema.safeParse(input)
  if (!result.success) throw validationError(result.error)
  return result.data
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const payload = JSON.stringify(body)
  res.statusCode = status
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(payload))
  res.end(payload)
}

async function authenticate(
  req: IncomingMessage,
  route: Route,
): Promise<{ caller: Caller | null; guard: SessionGuard | null }> {
  const header = req.headers.authorization
  if (!header) return { caller: null, guard: null }
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)
  if (!match?.[1]) throw new AppError('unauthenticated')
  const claims = await verifyAccessToken(match[1])
  if (route.sessionInScript && claims.role === 'resident') {
    // Signature, audience and expiry are verified; the store side runs in the handler's script.
    const now = new Date().toISOString()
    const provisional: AccountRecord = {
      id: claims.sub,
      role: 'resident',
      scope: { type: 'none' },
      displayName: '',
      identities: [],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    }
    return { caller: { account: provisional, claims }, guard: sessionGuard(claims) }
  }
  // Read the account (and the session's standing) on every request: disabling an account,
  // changing its scope or ending its session bites on the very next request.
  const account = await checkAccess(claims)
  if (!account) throw new AppError('unauthenticated')
  return { caller: { account, claims }, guard: null }
}

function authorise(policy: Policy, route: Route, caller: Caller | null) {
  const table = policy[route.operationId]
  if (!table) throw new Error(`no policy for ${route.operationId}`)
  const who: PolicyCaller = caller ? caller.account.role : 'anonymous'
  const rule = table[who]
  if (!rule) throw new AppError(caller ? 'forbidden' : 'unauthenticated')
  const access = resolveScope(rule, caller?.account ?? null)
  if (!access) throw new AppError('forbidden')
  return access
}

function clientAddress(req: IncomingMessage): string {
  return clientIp(req.headers, req.socket?.remoteAddress)
}

/** Links on posters must not follow a forged Host header: PUBLIC_ORIGIN wins when set. */
function publicOrigin(req: IncomingMessage): string {
  const configured = env().PUBLIC_ORIGIN
  if (configured) return configured.replace(/\/$/, '')
  const host = String(req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost')
  const safeHost = /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? host : 'localhost'
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'
  return `${proto}://${safeHost}`
}

export interface Router {
  routes: readonly Route[]
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
}

/**
 * Builds the request handler shared by the Vercel function and the local server: request id,
 * route match (404 / 405), body limits, authentication, the route's access rule, schema
 * parsing, the handler, and one error mapping — AppError as itself, an unreachable store as
 * 503 with Retry-After, anything else as a 500 that says nothing about its cause.
 */
export function createRouter(routes: readonly Route[], policy: Policy = POLICY): Router {
  const missing = routes.filter((route) => !policy[route.operationId]).map((route) => route.operationId)
  if (missing.length > 0) throw new Error(`routes without a policy entry: ${missing.join(', ')}`)
  const compiled = routes.map(compile)

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now()
    const requestId = requestIdFrom(req.headers['x-request-id'], randomUUID)
    const headers: Record<string, string> = {
      'X-Request-Id': requestId,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    }
    let status = 500
    let operation = 'unmatched'
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const method = (req.method ?? 'GET').toUpperCase()
      const candidates = compiled
        .map((entry) => ({ entry, match: entry.pattern.exec(url.pathname) }))
        .filter((candidate) => candidate.match !== null)
      if (candidates.length === 0) throw new AppError('not_found')
      const found =
        candidates.find((candidate) => candidate.entry.route.method === method) ??
        (method === 'HEAD'
          ? candidates.find((candidate) => candidate.entry.route.method === 'GET')
          : undefined)
      if (!found?.match) {
        headers.Allow = [...new Set(candidates.map((candidate) => candidate.entry.route.method))].join(', ')
        throw new AppError('method_not_allowed')
      }
      const { route, names } = found.entry
      operation = route.operationId

      const rawParams: Record<string, string> = {}
      for (const [index, name] of names.entries()) {
        try {
          rawParams[name] = decodeURIComponent(found.match[index + 1] ?? '')
        } catch {
          throw new AppError('bad_request', { fields: { [name]: ['路径参数编码不正确'] } })
        }
      }
      const rawBody = route.body ? await readJsonBody(req) : undefined
      const { caller, guard } = await authenticate(req, route)
      let access: ReturnType<typeof authorise>
      try {
        access = authorise(policy, route, caller)
      } catch (refusal) {
        if (refusal instanceof AppError && refusal.code === 'forbidden') {
          await audit({
            action: 'access_refused',
            actor: caller?.account.id ?? null,
            requestId,
            detail: { operation },
          })
        }
        throw refusal
      }
      const params = parseWith(route.params, rawParams)
      const query = parseWith(route.query ?? undefined, parseQuery(url.searchParams))
      if (!route.query && [...url.searchParams.keys()].length > 0) {
        const fields = Object.fromEntries([...url.searchParams.keys()].map((key) => [key, ['不支持的参数']]))
        throw new AppError('validation_failed', { fields })
      }
      const body = parseWith(route.body, rawBody)
      const declared = route.headers
      const requestHeaders = declared
        ? parseWith(
            declared,
            Object.fromEntries(
              Object.keys((declared as unknown as { shape?: object }).shape ?? {}).map((name) => [
                name,
                typeof req.headers[name] === 'string' ? req.headers[name] : undefined,
              ]),
            ),
          )
        : undefined

      status = route.status ?? 200
      const result = await route.handler({
        params,
        query,
        body,
        headers: requestHeaders,
        caller,
        sessionGuard: guard,
        access,
        ip: clientAddress(req),
        origin: publicOrigin(req),
        requestId,
        setHeader: (name, value) => {
          headers[name] = value
        },
        setStatus: (next) => {
          status = next
        },
      })
      if (result instanceof BinaryBody) {
        const body = typeof result.body === 'string' ? Buffer.from(result.body) : Buffer.from(result.body)
        res.statusCode = status
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
        res.setHeader('Content-Type', result.contentType)
        res.setHeader('Content-Length', body.length)
        if (result.filename) {
          res.setHeader(
            'Content-Disposition',
            `attachment; filename="${encodeURIComponent(result.filename)}"`,
          )
        }
        res.end(method === 'HEAD' ? undefined : body)
      } else if (method === 'HEAD') {
        res.statusCode = status
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
        res.end()
      } else {
        send(res, status, result, headers)
      }
    } catch (error) {
      let failure: AppError
      if (error instanceof AppError) {
        failure = error
      } else if (isStoreUnavailable(error)) {
        failure = new AppError('unavailable', { headers: { 'Retry-After': '1' }, cause: error })
        log('warn', 'store unavailable', { requestId, operation, ...describeError(error) })
      } else {
        failure = new AppError('internal', { cause: error })
        log('error', 'unhandled error', { requestId, operation, ...describeError(error) })
      }
      status = failure.status
      if (failure.code === 'unavailable') headers['Retry-After'] ??= '1'
      send(res, status, failure.toBody(), { ...headers, ...failure.headers })
    } finally {
      log('info', 'request', {
        requestId,
        method: req.method,
        operation,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      })
    }
  }

  return { routes, handle }
}
