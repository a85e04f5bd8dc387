import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleCron, isCronPath } from './cron'
import { handleJobCallback, JOB_PATH } from './queue'
import { createRouter } from './router'
import { routes } from './routes'

const router = createRouter(routes)

/** The API as one Node request handler, shared by the Vercel function and `npm start`. */
export const app = {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (isCronPath(req.url)) return handleCron(req, res)
    if ((req.url ?? '').split('?')[0] === JOB_PATH) return handleJobCallback(req, res)
    return router.handle(req, res)
  },
}
