import { API_BASE } from './config'
import type { ProtectedFileType } from './files'
import { api } from './index'

/** The file name the server suggests (RFC 6266 `filename*` first), if any. */
function suggestedName(disposition: string | null): string | null {
  if (!disposition) return null
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // A malformed escape: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)
  return plain?.[1]?.trim() || null
}

/** H5: fetch with the bearer token, then hand the browser a blob to save or show. */
export async function openProtectedFile(
  path: string,
  fileType: ProtectedFileType,
  fileName?: string,
): Promise<void> {
  const token = api.tokens.get()
  const response = await fetch(`${API_BASE}${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  })
  if (!response.ok) throw new Error('下载失败，请稍后再试')
  const fallback = path.split('?')[0]?.split('/').pop() || `download.${fileType}`
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = suggestedName(response.headers.get('Content-Disposition')) ?? fileName ?? fallback
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
