/**
 * The small safe markup of announcements: `# ` and `## ` headings, `- ` list items, blank-line
 * separated paragraphs, and links `[text](https://…)` (https only). It is parsed into a tree and
 * each target renders the tree with its own components — no HTML is ever produced from user text,
 * so nothing in a body can become a script on H5 or break a mini-program's rich text.
 */
export type Inline = { type: 'text'; text: string } | { type: 'link'; text: string; href: string }
export type Block =
  | { type: 'heading'; level: 1 | 2; content: Inline[] }
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'list'; items: Inline[][] }

const LINK = /\[([^\]\n]{1,80})\]\((https:\/\/[^\s)]{1,300})\)/g

export function parseInline(text: string): Inline[] {
  const out: Inline[] = []
  let last = 0
  for (const match of text.matchAll(LINK)) {
    const at = match.index ?? 0
    if (at > last) out.push({ type: 'text', text: text.slice(last, at) })
    out.push({ type: 'link', text: match[1] as string, href: match[2] as string })
    last = at + match[0].length
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) })
  return out
}

export function parseMarkup(source: string): Block[] {
  const blocks: Block[] = []
  let paragraph: string[] = []
  let list: Inline[][] | null = null
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', content: parseInline(paragraph.join('\n')) })
    paragraph = []
    if (list) blocks.push({ type: 'list', items: list })
    list = null
  }
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd()
    if (!line.trim()) {
      flush()
      continue
    }
    const heading = /^(#{1,2}) (.+)$/.exec(line)
    if (heading) {
      flush()
      blocks.push({
        type: 'heading',
        level: heading[1] === '#' ? 1 : 2,
        content: parseInline((heading[2] as string).trim()),
      })
      continue
    }
    const item = /^[-*] (.+)$/.exec(line.trim())
    if (item) {
      if (paragraph.length > 0) {
        blocks.push({ type: 'paragraph', content: parseInline(paragraph.join('\n')) })
        paragraph = []
      }
      list ??= []
      list.push(parseInline((item[1] as string).trim()))
      continue
    }
    if (list) {
      blocks.push({ type: 'list', items: list })
      list = null
    }
    paragraph.push(line)
  }
  flush()
  return blocks
}

/** Plain text of a body (for search, previews and subscribe-message fields). */
export function plainTextOf(blocks: readonly Block[]): string {
  const inline = (content: readonly Inline[]) => content.map((part) => part.text).join('')
  return blocks
    .map((block) => (block.type === 'list' ? block.items.map(inline).join('；') : inline(block.content)))
    .join('\n')
}
