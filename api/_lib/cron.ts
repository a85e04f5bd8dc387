import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { env } from './env'
import { purgeClosedIntakes } from './intake-service'
import { describeError, log } from './log'
import { isStoreUnavailable } from './store'

/**
 * Scheduled jobs. Vercel Cron calls `GET /api/cron/<job>` with `Authorization: Bearer
 * <CRON_SECRET>` (https://vercel.com/docs/cron-jobs/manage-cron-jobs#securing-cron-jobs); `npm
 * start` runs the same jobs on a timer. Without CRON_SECRET the endpoint refuses every call.
 */
export const CRON_JOBS = {
  'purge-intakes': () => purgeClosedIntakes(),
} as const

function authorised(req: IncomingMessage): boolean {
  const secret = env().CRON_SECRET
  const header = req.headers.authorization
  if (!secret || typeof header !== 'string') return false
  const given = Buffer.from(header)
  const expected = Buffer.from(`Bearer ${secret}`)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export function isCronPath(url: string | undefined): boolean {
  return (url ?? '').startsWith('/api/cron/')
}

export async function handleCron(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const name = new URL(req.url ?? '/', 'http://localhost').pathname.slice('/api/cron/'.length)
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  if (!Object.hasOwn(CRON_JOBS, name))
    return send(404, { error: { code: 'not_found', message: '没有这个任务' } })
  if (!authorised(req)) return send(401, { error: { code: 'unauthenticated', message: '请先登录' } })
  try {
    const done = await CRON_JOBS[name as keyof typeof CRON_JOBS]()
    log('info', 'cron job done', { job: name, done })
    send(200, { job: name, done })
  } catch (error) {
    log('error', 'cron job failed', { job: name, ...describeError(error) })
    send(isStoreUnavailable(error) ? 503 : 500, {
      error: { code: 'unavailable', message: '服务暂时不可用，请稍后再试' },
    })
  }
}
