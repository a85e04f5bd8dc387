import Taro from '@tarojs/taro'
import { API_BASE } from './config'
import { api } from './index'

/**
 * Opens a file the API serves behind the session (a station poster). Mini-programs download it
 * with the bearer token and open it with the system viewer; `files.h5.ts` does the browser's part.
 */
export async function openProtectedFile(path: string, fileType: 'pdf'): Promise<void> {
  const token = api.tokens.get()
  const { tempFilePath, statusCode } = await Taro.downloadFile({
    url: `${API_BASE}${path}`,
    header: token ? { Authorization: `Bearer ${token}` } : {},
  })
  if (statusCode !== 200) throw new Error('下载失败，请稍后再试')
  await Taro.openDocument({ filePath: tempFilePath, fileType, showMenu: true })
}
