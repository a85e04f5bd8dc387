import type { IncomingMessage, ServerResponse } from 'node:http'
import { Client, Receiver } from '@upstash/qstash'
import { z } from 'zod'
import {
  createInProcessQueue,
  type FanoutJob,
  type JobQueue,
  registerQueueFactory,
  runFanoutJob,
} from './announcements'
import { env } from './env'
import { describeError, log } from './log'

/**
 * Background jobs. In production, Upstash QStash delivers each job to `POST /api/jobs/fanout`
 * with an `Upstash-Signature` (a JWT over the URL and the raw body's hash), verified with
 * `Receiver` on the raw body before anything is parsed; QStash retries with backoff and
 * deduplicates by `Upstash-Deduplication-Id`. Without QStash configured (npm start, tests), an
 * in-process queue runs the same handler.
 */
export const JOB_PATH = '/api/jobs/fanout'

const JobSchema = z.strictObject({
  announcement: z.string().regex(/^[0-9a-f-]{36}$/),
  set: z.number().int().min(0).max(1000),
  cursor: z.string().regex(/^\d{1,20}$/),
})

export function createQstashQueue(): JobQueue {
  const config = env()
  if (!config.QSTASH_TOKEN || !config.PUBLIC_ORIGIN)
    throw new Error('QStash needs QSTASH_TOKEN and PUBLIC_ORIGIN')
  const client = new Client({
    token: config.QSTASH_TOKEN,
    ...(config.QSTASH_URL ? { baseUrl: config.QSTASH_URL } : {}),
  })
  const url = new URL(JOB_PATH, config.PUBLIC_ORIGIN).toString()
  return {
    async enqueue(job, { id, delayMs = 0 }) {
      await client.publishJSON({
        url,
        body: job,
        deduplicationId: id,
        delay: Math.ceil(delayMs / 1000),
        retries: 5,
      })
    },
  }
}

/** The queue this process uses, chosen on first use: QStash when configured, else in-process. */
registerQueueFactory(() =>
  env().QSTASH_TOKEN
    ? createQstashQueue()
    : createInProcessQueue({ onError: (error) => log('error', 'job failed', describeError(error)) }),
)

async function rawBody(req: IncomingMessage, limit = 16 * 1024): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** QStash's callback: signature first, on the raw body; then the job. 5xx asks QStash to retry. */
export async function handleJobCallback(
  req: IncomingMessage,
  res: ServerResponse,
  run = runFanoutJob,
): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  const config = env()
  if (req.method !== 'POST')
    return send(405, { error: { code: 'method_not_allowed', message: '不支持这种请求方式' } })
  if (!config.QSTASH_CURRENT_SIGNING_KEY || !config.QSTASH_NEXT_SIGNING_KEY || !config.PUBLIC_ORIGIN) {
    return send(404, { error: { code: 'not_found', message: '没有找到要访问的内容' } })
  }
  const body = await rawBody(req)
  const signature = req.headers['upstash-signature']
  if (body === null || typeof signature !== 'string')
    return send(401, { error: { code: 'unauthenticated', message: '请先登录' } })
  const receiver = new Receiver({
    currentSigningKey: config.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: config.QSTASH_NEXT_SIGNING_KEY,
  })
  const valid = await receiver
    .verify({ signature, body, url: new URL(JOB_PATH, config.PUBLIC_ORIGIN).toString() })
    .catch(() => false)
  if (!valid) return send(401, { error: { code: 'unauthenticated', message: '请先登录' } })
  let job: FanoutJob
  try {
    job = JobSchema.parse(JSON.parse(body))
  } catch {
    // A signed but malformed job will never succeed: 200 so QStash does not retry it forever.
    log('error', 'malformed job', { length: body.length })
    return send(200, { ignored: true })
  }
  try {
    const { processed } = await run(job)
    send(200, { processed })
  } catch (error) {
    log('warn', 'job failed, QStash will retry', describeError(error))
    send(503, { error: { code: 'unavailable', message: '服务暂时不可用，请稍后再试' } })
  }
}
