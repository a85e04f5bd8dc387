import type { VercelRequest, VercelResponse } from '@vercel/node'
import { app } from './_lib/app'
import { env } from './_lib/env'
import { handleLanding } from './_lib/landing'

// Parse the environment when the function loads: a misconfigured deployment fails its first
// cold start loudly instead of answering requests half-configured.
env()

/**
 * The one function: vercel.json rewrites /api/* and the QR landing /s/* here; Vercel keeps the
 * original path in req.url, which picks the handler.
 */
export default function handler(req: VercelRequest, res: VercelResponse): Promise<void> {
  if ((req.url ?? '').startsWith('/s/')) return handleLanding(req, res)
  return app.handle(req, res)
}
