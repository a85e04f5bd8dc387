import { API_BASE } from '../services/config'

/**
 * The 一图看 picture of a published entry, drawn by the server from the entry
 * (`GET /api/v1/policies/{id}/card.svg`; a PNG variant may follow at `card.png`).
 */
export function cardUrl(id: string, format: 'svg' | 'png' = 'svg'): string {
  return `${API_BASE}/api/v1/policies/${encodeURIComponent(id)}/card.${format}`
}
