import Taro from '@tarojs/taro'
import { API_BASE } from './config'
import { api } from './index'

/** What the API serves behind the session: the station poster, the queue export. */
export type ProtectedFileType = 'pdf' | 'xlsx' | 'csv'

/**
 * Opens a file the API serves behind the session (a station poster, a queue export). Mini-programs
 * download it with the bearer token and open it with the system viewer; `files.h5.ts` does the
 * browser's part. The viewer (`openDocument`) reads PDF and Excel but not CSV: a CSV is offered
 * to send to a chat instead (WeChat `shareFileMessage`, e.g. to 文件传输助手 to open it on a PC).
 */
export async function openProtectedFile(
  path: string,
  fileType: ProtectedFileType,
  fileName?: string,
): Promise<void> {
  const token = api.tokens.get()
  const { tempFilePath, statusCode } = await Taro.downloadFile({
    url: `${API_BASE}${path}`,
    header: token ? { Authorization: `Bearer ${token}` } : {},
  })
  if (statusCode !== 200) throw new Error('下载失败，请稍后再试')
  if (fileType === 'csv') {
    if (!Taro.canIUse('shareFileMessage')) {
      throw new Error('小程序里打不开 CSV 文件，请导出 Excel，或在电脑上打开网页版导出 CSV')
    }
    await Taro.shareFileMessage({ filePath: tempFilePath, fileName })
    return
  }
  await Taro.openDocument({ filePath: tempFilePath, fileType, showMenu: true })
}
