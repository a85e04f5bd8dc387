import { createRouter } from './router'
import { routes } from './routes'

/** The API as one Node request handler, shared by the Vercel function and `npm start`. */
export const app = createRouter(routes)
