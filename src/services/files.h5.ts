import { API_BASE } from './config'
import { api } from './index'

/** H5: fetch with the bearer token, then hand the browser a blob to save or show. */
export async function openProtectedFile(path: string, _fileType: 'pdf'): Promise<void> {
  const token = api.tokens.get()
  const response = await fetch(`${API_BASE}${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  })
  if (!response.ok) throw new Error('下载失败，请稍后再试')
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = path.split('/').pop() ?? 'download'
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
