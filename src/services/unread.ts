import Taro from '@tarojs/taro'
import { api } from './index'

/** 我的 is the fourth tab (app.config.ts): new answers to the resident's questions show there. */
const ME_TAB_INDEX = 3

/** The tab's badge: the number of consultations with an answer not yet read, or none. */
async function showUnread(count: number): Promise<void> {
  try {
    if (count > 0)
      await Taro.setTabBarBadge({ index: ME_TAB_INDEX, text: count > 99 ? '99+' : String(count) })
    else await Taro.removeTabBarBadge({ index: ME_TAB_INDEX })
  } catch {
    // Outside a tab page (WeChat answers “not TabBar page”) or on a target without a tab bar:
    // the next tab page that shows calls this again.
  }
}

/**
 * Asks how many answers the resident has not read (`GET /api/v1/consultations/mine`) and puts
 * that number on the 我的 tab. Signed-out devices and failures leave the badge as it is.
 *
 * @returns the unread count, or null when it could not be asked.
 */
export async function refreshUnreadBadge(): Promise<number | null> {
  if (!api.tokens.get()) return null
  try {
    const { unread } = await api.get<{ unread: number }>('/api/v1/consultations/mine')
    await showUnread(unread)
    return unread
  } catch {
    return null
  }
}
