import { Button } from '@tarojs/components'

/**
 * WeChat: a button that opens the share sheet (`open-type="share"`); what is shared is the page's
 * `useShareAppMessage` answer.
 * https://developers.weixin.qq.com/miniprogram/dev/component/button.html
 */
export function ShareButton() {
  return (
    <Button id="news-share" className="button button--plain" openType="share">
      分享给朋友
    </Button>
  )
}
