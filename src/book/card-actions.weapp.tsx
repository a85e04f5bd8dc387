import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { cardUrl } from './card'

type Saving = { state: 'idle' | 'saving' } | { state: 'done' | 'failed'; message: string }

/**
 * WeChat: 保存到相册 when the server has a PNG of the picture (the album takes no SVG), by
 * `downloadFile` then `saveImageToPhotosAlbum`. Without a PNG nothing is offered.
 * https://developers.weixin.qq.com/miniprogram/dev/api/media/image/wx.saveImageToPhotosAlbum.html
 */
export function CardActions({ id }: { id: string; title: string }) {
  const [hasPng, setHasPng] = useState(false)
  const [saving, setSaving] = useState<Saving>({ state: 'idle' })

  useEffect(() => {
    Taro.request({ url: cardUrl(id, 'png'), method: 'HEAD' })
      .then((response) => setHasPng(response.statusCode === 200))
      .catch(() => setHasPng(false))
  }, [id])

  if (!hasPng) return null

  const save = async () => {
    setSaving({ state: 'saving' })
    try {
      const { tempFilePath, statusCode } = await Taro.downloadFile({ url: cardUrl(id, 'png') })
      if (statusCode !== 200) throw new Error('download')
      await Taro.saveImageToPhotosAlbum({ filePath: tempFilePath })
      setSaving({ state: 'done', message: '已保存到手机相册' })
    } catch {
      setSaving({
        state: 'failed',
        message: '没有保存成功。如果拒绝过相册权限，请在右上角“…”→“设置”里打开后再试',
      })
    }
  }

  return (
    <View className="book-card__actions">
      <Button
        id="policy-card-save"
        className="button button--plain"
        disabled={saving.state === 'saving' || undefined}
        onClick={save}
      >
        保存到手机相册
      </Button>
      {(saving.state === 'done' || saving.state === 'failed') && (
        <View className="muted" role="status">
          {saving.message}
        </View>
      )}
    </View>
  )
}
