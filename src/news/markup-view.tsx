import { Text, View } from '@tarojs/components'
import { type Inline, parseMarkup } from '../shared/markup'
import { openLink } from './open-link'

/** A run of text and links; links are tappable text (`open-link.ts` says what a tap does). */
function Inlines({ content }: { content: readonly Inline[] }) {
  return (
    <>
      {content.map((part, index) =>
        part.type === 'text' ? (
          <Text key={index}>{part.text}</Text>
        ) : (
          <Text
            key={index}
            className="markup__link"
            data-href={part.href}
            onClick={() => openLink(part.href)}
          >
            {part.text}
          </Text>
        ),
      )}
    </>
  )
}

/**
 * An announcement's body: the safe markup parsed into headings, paragraphs and lists, each drawn
 * with Taro's own components. Every piece of text is a text node, never HTML, so `<b>` in a body
 * shows as the characters `<b>` on every target.
 */
export function MarkupView({ source, id }: { source: string; id?: string }) {
  return (
    <View id={id} className="markup">
      {parseMarkup(source).map((block, index) => {
        if (block.type === 'heading') {
          return (
            <View
              key={index}
              className={`markup__h${block.level}`}
              role="heading"
              aria-level={block.level + 1}
            >
              <Inlines content={block.content} />
            </View>
          )
        }
        if (block.type === 'list') {
          return (
            <View key={index} className="markup__list" role="list">
              {block.items.map((item, itemIndex) => (
                <View key={itemIndex} className="markup__item" role="listitem">
                  <Text className="markup__bullet">• </Text>
                  <Inlines content={item} />
                </View>
              ))}
            </View>
          )
        }
        return (
          <View key={index} className="markup__p">
            <Inlines content={block.content} />
          </View>
        )
      })}
    </View>
  )
}
