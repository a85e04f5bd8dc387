import type { VercelRequest, VercelResponse } from '@vercel/node'
import { app } from './_lib/app'
import { env } from './_lib/env'

// Parse the environment when the function loads: a misconfigured deployment fails its first
// cold start loudly instead of answering requests half-configured.
env()

/** The one API function: vercel.json rewrites /api/* here; the router reads the original path. */
export default function handler(req: VercelRequest, res: VercelResponse): Promise<void> {
  return app.handle(req, res)
}
