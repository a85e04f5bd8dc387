import Taro from '@tarojs/taro'

/**
 * A link in an announcement, tapped. Mini-programs (this file) open no outside web pages without
 * a registered business domain, so the address is copied for the browser.
 * https://developers.weixin.qq.com/miniprogram/dev/api/device/clipboard/wx.setClipboardData.html
 * H5 opens it (`open-link.h5.ts`).
 */
export async function openLink(href: string): Promise<void> {
  try {
    await Taro.setClipboardData({ data: href })
    await Taro.showToast({ title: '已复制链接，请在浏览器中打开', icon: 'none' })
  } catch {
    await Taro.showToast({ title: '没有复制成功，请稍后再试', icon: 'none' }).catch(() => {})
  }
}
