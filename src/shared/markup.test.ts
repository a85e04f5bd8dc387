import { describe, expect, it } from 'vitest'
import { parseMarkup, plainTextOf } from './markup'

describe('announcement markup', () => {
  it('parses headings, paragraphs, lists and https links', () => {
    const blocks = parseMarkup(
      '# 好消息\n\n创业担保贷款额度提高。\n- 个人 50 万元\n- 小微企业 600 万元\n\n详见[口袋书](https://example.cn/book)',
    )
    expect(blocks).toEqual([
      { type: 'heading', level: 1, content: [{ type: 'text', text: '好消息' }] },
      { type: 'paragraph', content: [{ type: 'text', text: '创业担保贷款额度提高。' }] },
      {
        type: 'list',
        items: [[{ type: 'text', text: '个人 50 万元' }], [{ type: 'text', text: '小微企业 600 万元' }]],
      },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: '详见' },
          { type: 'link', text: '口袋书', href: 'https://example.cn/book' },
        ],
      },
    ])
  })

  it('keeps markup-looking hostility as plain text', () => {
    const blocks = parseMarkup(
      '<script>alert(1)</script>\n[点我](javascript:alert(1))\n[x](http://insecure.cn)',
    )
    expect(JSON.stringify(blocks)).not.toContain('"type":"link"')
    expect(plainTextOf(blocks)).toContain('<script>alert(1)</script>')
  })
})
