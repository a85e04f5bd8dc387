import type { Requester, UpstashRequest, UpstashResponse } from '@upstash/redis'
import { createClient } from 'redis'
import { StoreUnavailableError } from './errors'
import { createForwarder, forwardRequest, type StoreRequesterHandle } from './forwarder'

export interface TcpRequesterOptions {
  /** `redis://[[user]:password@]host:port[/db]` */
  url: string
  /** Upper bound for one request (waiting for the connection included). */
  commandTimeoutMs: number
  /** Upper bound for one TCP connection attempt, and for `ready()`. */
  connectTimeoutMs: number
  /**
   * Told about connection errors (message only: node-redis connection errors carry no command
   * arguments, and arguments must never reach logs since they can hold personal data). Called on
   * every failed reconnection attempt, so callers should throttle.
   */
  onError?: (message: string) => void
}

/** Longest pause between reconnection attempts; short enough that a restarted Redis is found quickly. */
const MAX_RECONNECT_DELAY_MS = 2000

function reconnectDelay(retries: number): number {
  // Jitter keeps many instances from reconnecting in lockstep after a Redis restart.
  return Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 100)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * A `Requester` for `new Redis(requester)` (`@upstash/redis`) that talks to a plain Redis over TCP
 * with node-redis. Every request is bounded by `commandTimeoutMs`: a dead, unreachable or hanging
 * Redis rejects with `StoreUnavailableError` instead of hanging; Redis command errors keep the
 * Upstash shape (`{ error }`), so the client throws its usual `UpstashError`.
 */
export function createTcpRequester(options: TcpRequesterOptions): StoreRequesterHandle {
  const { commandTimeoutMs, connectTimeoutMs, onError } = options
  const client = createClient({
    url: options.url,
    // Fail fast while disconnected instead of piling commands up for a Redis that may not return.
    disableOfflineQueue: true,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: reconnectDelay },
  })
  // Without a listener, node-redis re-emits connection errors as an uncaught 'error' and the
  // process dies with Redis.
  client.on('error', (error: unknown) => onError?.(messageOf(error)))
  const forwarder = createForwarder(client)
  let closed = false
  let connecting: Promise<unknown> | undefined
  let readySignal: Promise<void> | undefined

  function startConnecting(): void {
    if (connecting || closed) return
    // connect() retries with reconnectDelay until Redis answers; failures reach the 'error' listener.
    connecting = client.connect().catch(() => undefined)
  }

  /** One shared wait for the next 'ready', so waiting requests do not each add a listener. */
  function nextReady(): Promise<void> {
    if (!readySignal) {
      readySignal = new Promise<void>((resolve) => {
        client.once('ready', () => {
          readySignal = undefined
          resolve()
        })
      })
    }
    return readySignal
  }

  async function whenReady(): Promise<void> {
    if (client.isReady) return
    startConnecting()
    await nextReady()
  }

  function withDeadline<T>(
    work: (expired: () => boolean) => Promise<T>,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let expired = false
      const timer = setTimeout(() => {
        expired = true
        reject(new StoreUnavailableError(`Redis did not ${what} within ${timeoutMs} ms`))
      }, timeoutMs)
      work(() => expired).then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          // UpstashError is a command-level answer (e.g. a refused transaction), not an outage.
          if (
            error instanceof Error &&
            (error.name === 'UpstashError' || error.name === 'StoreUnavailableError')
          ) {
            reject(error)
          } else {
            reject(
              new StoreUnavailableError(`Redis connection failed: ${messageOf(error)}`, { cause: error }),
            )
          }
        },
      )
    })
  }

  const requester: Requester = {
    async request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
      if (closed) throw new StoreUnavailableError('The Redis connection has been closed')
      const answer = await withDeadline(
        async (expired) => {
          await whenReady()
          // The caller was already told the store is down; running the command now would
          // apply a write nobody waits for.
          if (expired()) throw new StoreUnavailableError('Redis came back after the request had timed out')
          return forwardRequest(forwarder, req)
        },
        commandTimeoutMs,
        'answer',
      )
      // For pipelines the client expects the array of results where its type says one result.
      return answer as UpstashResponse<TResult>
    },
  }

  return {
    requester,
    ready() {
      if (closed) return Promise.reject(new StoreUnavailableError('The Redis connection has been closed'))
      return withDeadline(whenReady, connectTimeoutMs, 'accept a connection')
    },
    async close() {
      if (closed) return
      closed = true
      if (!client.isOpen) return
      if (!client.isReady) {
        // Nothing can be pending on a connection that is not up; stop the reconnection loop now.
        client.destroy()
        return
      }
      // A hung Redis must not keep the process alive or stall shutdown: wait a bounded time.
      client.unref()
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, commandTimeoutMs)
        client.close().then(
          () => {
            clearTimeout(timer)
            resolve()
          },
          () => {
            clearTimeout(timer)
            resolve()
          },
        )
      })
    },
  }
}
