import { type ErrorCode, type FieldErrors, isErrorCode, messageOf } from '../shared/errors'

/**
 * The one place that knows how to talk to the API: base URL, bearer token, retries, typed
 * errors. It never shows anything to the user — pages decide that from the error's `code`.
 * The transport is injected so the same client runs on Taro (all three targets) and in tests.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface TransportRequest {
  url: string
  method: HttpMethod
  headers: Record<string, string>
  body?: string
  timeoutMs: number
}

export interface TransportResponse {
  status: number
  headers: Record<string, string>
  data: unknown
}

/** Sends one request; rejects (with any Error) only when no HTTP answer arrived. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

export interface TokenStore {
  get(): string | null
  set(token: string): void
  clear(): void
  /** The refresh token, when the session has one. */
  getRefresh?(): string | null
  setRefresh?(token: string): void
}

/** What the API answers on login and refresh. */
export interface TokenPairLike {
  accessToken: string
  refreshToken: string
}

/** An answer from the API that carries one of the stable error codes. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ErrorCode
  readonly status: number
  readonly fields: FieldErrors | undefined
  constructor(code: ErrorCode, status: number, message: string, fields?: FieldErrors) {
    super(message)
    this.code = code
    this.status = status
    this.fields = fields
  }
}

/** No answer at all: offline, DNS, timeout. Drafts should be kept and the action offered again. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'
  readonly code = 'network' as const
  constructor(cause: unknown) {
    super('网络连接不稳定，请检查网络后再试', { cause })
  }
}

export interface ApiClientOptions {
  baseUrl: string
  transport: Transport
  tokens: TokenStore
  /** Extra attempts for idempotent calls after a network error or a 502/503/504. */
  retries?: number
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
}

export interface RequestOptions<T> {
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** Makes a POST safe to retry: the server answers a replay with the first result. */
  idempotencyKey?: string
  /** Validates the answer (a zod schema's `parse`, for example). */
  parse?: (data: unknown) => T
  /** Send without the session (e.g. redeeming an invitation into a new password account). */
  anonymous?: boolean
}

const RETRYABLE_STATUS = new Set([502, 503, 504])
const MAX_RETRY_AFTER_MS = 5_000

function buildQuery(query: RequestOptions<unknown>['query']): string {
  if (!query) return ''
  const parts: string[] = []
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

function toApiError(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object' && 'error' in data) {
    const body = (data as { error: unknown }).error
    if (body && typeof body === 'object') {
      const { code, message, fields } = body as { code?: unknown; message?: unknown; fields?: unknown }
      if (isErrorCode(code)) {
        const text = typeof message === 'string' && message ? message : messageOf(code)
        const fieldErrors = fields && typeof fields === 'object' ? (fields as FieldErrors) : undefined
        return new ApiError(code, status, text, fieldErrors)
      }
    }
  }
  const code: ErrorCode =
    status === 401
      ? 'unauthenticated'
      : status === 404
        ? 'not_found'
        : status >= 500
          ? 'unavailable'
          : 'bad_request'
  return new ApiError(code, status, messageOf(code))
}

function retryDelay(attempt: number, headers: Record<string, string>): number {
  const header = headers['retry-after'] ?? headers['Retry-After']
  const seconds = header ? Number(header) : Number.NaN
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS)
  return 300 * 3 ** attempt
}

export interface ApiClient {
  request<T>(method: HttpMethod, path: string, options?: RequestOptions<T>): Promise<T>
  get<T>(path: string, options?: Omit<RequestOptions<T>, 'body'>): Promise<T>
  post<T>(path: string, body: unknown, options?: Omit<RequestOptions<T>, 'body'>): Promise<T>
  readonly tokens: TokenStore
}

/**
 * @example
 * const api = createApiClient({ baseUrl: '', transport: taroTransport, tokens })
 * const stations = await api.get('/api/v1/stations', { query: { region: '370200' } })
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const retries = options.retries ?? 2
  const timeoutMs = options.timeoutMs ?? 10_000
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))

  let refreshing: Promise<boolean> | null = null

  /** One refresh at a time, shared by every request that met a 401 meanwhile. */
  function refreshOnce(): Promise<boolean> {
    const refreshToken = options.tokens.getRefresh?.()
    if (!refreshToken) return Promise.resolve(false)
    refreshing ??= options
      .transport({
        url: `${options.baseUrl}/api/v1/auth/refresh`,
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
        timeoutMs,
      })
      .then((response) => {
        const pair = response.data as Partial<TokenPairLike> | null
        if (response.status === 200 && pair?.accessToken && pair.refreshToken) {
          options.tokens.set(pair.accessToken)
          options.tokens.setRefresh?.(pair.refreshToken)
          return true
        }
        options.tokens.clear()
        return false
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null
      })
    return refreshing
  }

  async function request<T>(
    method: HttpMethod,
    path: string,
    opts: RequestOptions<T> = {},
    retried = false,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    const token = opts.anonymous ? null : options.tokens.get()
    if (token) headers.Authorization = `Bearer ${token}`
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey
    let body: string | undefined
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(opts.body)
    }
    const idempotent =
      method === 'GET' || method === 'PUT' || method === 'DELETE' || Boolean(opts.idempotencyKey)
    const url = `${options.baseUrl}${path}${buildQuery(opts.query)}`

    for (let attempt = 0; ; attempt++) {
      let response: TransportResponse
      try {
        response = await options.transport({ url, method, headers, body, timeoutMs })
      } catch (cause) {
        if (idempotent && attempt < retries) {
          await sleep(300 * 3 ** attempt)
          continue
        }
        throw new NetworkError(cause)
      }
      if (response.status >= 200 && response.status < 300) {
        return opts.parse ? opts.parse(response.data) : (response.data as T)
      }
      if (idempotent && attempt < retries && RETRYABLE_STATUS.has(response.status)) {
        await sleep(retryDelay(attempt, response.headers))
        continue
      }
      if (response.status === 401 && token && !retried) {
        // The access token lapsed (15 minutes): rotate the refresh token once and try again.
        if (await refreshOnce()) return request(method, path, opts, true)
      }
      if (response.status === 401 && token) options.tokens.clear()
      throw toApiError(response.status, response.data)
    }
  }

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    tokens: options.tokens,
  }
}
