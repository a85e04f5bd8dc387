import { View } from '@tarojs/components'
import { cardUrl } from './card'

/** H5: a plain link to the picture; the browser opens it full size, and saves it from there. */
export function CardActions({ id, title }: { id: string; title: string }) {
  return (
    <View className="book-card__actions">
      <a
        id="policy-card-link"
        className="button button--plain book-card__link"
        href={cardUrl(id)}
        target="_blank"
        rel="noopener"
        download={`${title}.svg`}
      >
        打开大图（可保存）
      </a>
    </View>
  )
}
