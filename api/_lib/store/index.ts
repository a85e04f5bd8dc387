import { Redis } from '@upstash/redis'
import { env } from '../env'
import { StoreUnavailableError } from './errors'
import { createTcpRequester } from './tcp-requester'

/**
 * One storage client, three places it can point (DESIGN.md, "One storage client"):
 * - `UPSTASH_REDIS_REST_URL`/`TOKEN` → Upstash over its REST protocol (the Vercel deployment);
 * - `REDIS_URL` → any Redis over TCP, through a requester that speaks the client's request
 *   contract (the mainland self-hosted deployment);
 * - neither → the embedded default that `npm start` sets up (a private redis-server under
 *   `.data/`, or the in-process engine) and hands over with `installStore`.
 * Every path goes through the same `@upstash/redis` client, built once per process.
 */
export type StoreKind = 'upstash' | 'redis' | 'embedded-redis' | 'memory'

export interface Store {
  readonly redis: Redis
  readonly kind: StoreKind
  close(): Promise<void>
}

let current: Store | undefined

/** Upstash over HTTP, with a hard per-call budget: a slow network must end in a 503, not a hang. */
export function createUpstashStore(url: string, token: string, timeoutMs: number): Store {
  const redis = new Redis({
    url,
    token,
    retry: { retries: 1, backoff: () => 50 },
    signal: () => AbortSignal.timeout(Math.max(50, Math.floor(timeoutMs / 2) - 25)),
    enableTelemetry: false,
  })
  return { redis, kind: 'upstash', close: async () => {} }
}

/** Any Redis over TCP (a domestic Redis, or the embedded redis-server). */
export function createRedisStore(url: string, timeoutMs: number, kind: StoreKind = 'redis'): Store {
  const tcp = createTcpRequester({ url, commandTimeoutMs: timeoutMs, connectTimeoutMs: timeoutMs })
  const redis = new Redis(tcp.requester)
  return { redis, kind, close: () => tcp.close() }
}

/** Installs the store this process uses (the local server and tests call it once). */
export function installStore(store: Store): void {
  current = store
}

/** The process's store; on Vercel it is built from the environment on first use. */
export function store(): Store {
  if (current) return current
  const config = env()
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
    current = createUpstashStore(
      config.UPSTASH_REDIS_REST_URL,
      config.UPSTASH_REDIS_REST_TOKEN,
      config.STORE_TIMEOUT_MS,
    )
  } else if (config.REDIS_URL) {
    current = createRedisStore(config.REDIS_URL, config.STORE_TIMEOUT_MS)
  } else {
    throw new StoreUnavailableError(
      'No store configured: set UPSTASH_REDIS_REST_URL/TOKEN or REDIS_URL, or run through `npm start`',
    )
  }
  return current
}

/**
 * True when an error means "the store could not be reached in time" rather than a bug: the TCP
 * requester's StoreUnavailableError, or the HTTP client's abort, timeout and fetch failures.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'StoreUnavailableError' || e.name === 'AbortError' || e.name === 'TimeoutError')
      return true
    if (
      /fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|The operation was aborted/i.test(
        e.message,
      )
    ) {
      return true
    }
  }
  return false
}

/** Measures one round trip; used by /api/health. */
export async function pingStore(): Promise<{ reachable: boolean; latencyMs?: number }> {
  const started = performance.now()
  try {
    const answer = await store().redis.ping()
    return { reachable: answer === 'PONG', latencyMs: Math.round((performance.now() - started) * 10) / 10 }
  } catch {
    return { reachable: false }
  }
}
