/**
 * The store (Redis, over TCP or Upstash REST) could not be reached, answered too late, or dropped
 * the connection. Callers turn it into HTTP 503; it is never a verdict on the request itself.
 * Redis command errors (WRONGTYPE, NOSCRIPT, …) are NOT this error: they come back as `{ error }`.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'

  constructor(message = 'The data store is unavailable', options?: { cause?: unknown }) {
    super(message, options)
  }
}
