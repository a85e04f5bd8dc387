/**
 * Chinese full-text search without a dictionary: text is cut into overlapping character bigrams,
 * so a query word matches wherever its characters stand together, a wrong or missing character
 * still leaves most of its bigrams in common, and nothing has to be loaded on a cold start. Scoring is BM25 over field-weighted term frequencies (title and keywords count
 * more than body text), computed when the index is built, so a query only adds up precomputed
 * weights: a few hundred microseconds for thousands of entries.
 *
 * Residents' words are mapped to the documents' words first (大学生 → 高校毕业生, 个体户 →
 * 个体工商户, 社保 → 社会保险), and filler (怎么, 如何, 哪里…) is dropped.
 *
 * Isomorphic: the API builds the index when content changes and the mini-program can build the
 * same index from its offline copy.
 */

export interface SearchField {
  text: string
  /** How much a match here counts (title 4, keywords 3, summary 2, body 1, say). */
  weight: number
}

export interface SearchDocument {
  id: string
  fields: readonly SearchField[]
}

/** Residents' words → the words policy documents use (both are searched). */
const SYNONYMS: readonly [string, string][] = [
  ['大学生', '高校毕业生'],
  ['毕业生', '高校毕业生'],
  ['应届', '高校毕业生'],
  ['个体户', '个体工商户'],
  ['社保', '社会保险'],
  ['返乡', '返乡入乡'],
  ['回乡', '返乡入乡'],
  ['老兵', '退役军人'],
  ['转业', '退役军人'],
  ['残疾', '残疾人'],
  ['小微', '小微企业'],
  ['补助', '补贴'],
  ['津贴', '补贴'],
  ['资助', '补贴'],
  ['利息', '贴息'],
  ['免息', '贴息'],
  ['借钱', '贷款'],
  ['担保贷', '创业担保贷款'],
  ['失业', '城镇登记失业人员'],
  ['贫困户', '脱贫人口'],
  ['开店', '创业'],
  ['做生意', '创业'],
  ['网店', '网络创业'],
  ['电商', '网络创业'],
  ['场租', '场地'],
  ['房租', '场地'],
  ['孵化器', '孵化基地'],
  ['老师', '导师'],
  ['倒闭', '创业失败'],
  ['失败', '创业失败'],
]

/** Filler that carries no meaning in a query. Longest first, so 怎么样 goes before 怎么. */
const FILLER = [
  '怎么样',
  '怎么办',
  '怎么',
  '如何',
  '怎样',
  '哪里',
  '哪儿',
  '在哪',
  '能不能',
  '可不可以',
  '可以',
  '什么',
  '有没有',
  '多少',
  '请问',
  '我想',
  '我要',
  '我是',
  '一下',
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '领取',
  '领',
]

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u

/** NFKC (full-width → half-width), lower case, punctuation → space. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{Script=Han}\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The terms of a text: bigrams and single characters of each Han run, whole Latin/digit words. */
export function terms(text: string): string[] {
  const out: string[] = []
  for (const run of normalise(text).split(' ')) {
    if (!run) continue
    let han = ''
    const flush = () => {
      const chars = [...han]
      for (let i = 0; i < chars.length; i++) {
        out.push(chars[i] as string)
        if (i + 1 < chars.length) out.push(`${chars[i]}${chars[i + 1]}`)
      }
      han = ''
    }
    let word = ''
    for (const ch of run) {
      if (CJK.test(ch)) {
        if (word) {
          out.push(word)
          word = ''
        }
        han += ch
      } else {
        if (han) flush()
        word += ch
      }
    }
    if (han) flush()
    if (word) out.push(word)
  }
  return out
}

/** The query as the index should see it: filler out, residents' words joined by the documents'. */
export function expandQuery(query: string): string {
  let text = normalise(query)
  const extra: string[] = []
  for (const [from, to] of SYNONYMS) if (text.includes(from)) extra.push(to)
  for (const word of FILLER) text = text.replaceAll(word, ' ')
  return [text, ...extra].join(' ')
}

/**
 * The index as flat arrays: posting `p` of term `terms.get(t) = p` is documents
 * `docs[offsets[p] .. offsets[p + 1])` with BM25 weights at the same positions. Flat typed arrays
 * serialise as raw bytes and load without parsing each posting.
 */
export interface SearchIndex {
  ids: string[]
  terms: Map<string, number>
  offsets: Uint32Array
  docs: Uint32Array
  weights: Float32Array
}

const K1 = 1.2
const B = 0.75

/** Builds the index (when content changes, never per request). */
export function buildIndex(documents: readonly SearchDocument[]): SearchIndex {
  const ids = documents.map((doc) => doc.id)
  const tf: Map<string, Map<number, number>> = new Map()
  const lengths = new Float64Array(documents.length)
  documents.forEach((doc, n) => {
    for (const field of doc.fields) {
      for (const term of terms(field.text)) {
        // Single characters are too common to index (they would be most of the postings); a query
        // word of several characters is found by its bigrams, a typo by the bigrams it leaves.
        if (term.length === 1 && CJK.test(term)) continue
        let row = tf.get(term)
        if (!row) {
          row = new Map()
          tf.set(term, row)
        }
        row.set(n, (row.get(n) ?? 0) + field.weight)
        lengths[n] = (lengths[n] ?? 0) + field.weight
      }
    }
  })
  const average = lengths.reduce((total, length) => total + length, 0) / Math.max(1, documents.length)
  let total = 0
  for (const row of tf.values()) total += row.size
  const termIndex = new Map<string, number>()
  const offsets = new Uint32Array(tf.size + 1)
  const docs = new Uint32Array(total)
  const weights = new Float32Array(total)
  let at = 0
  let p = 0
  for (const [term, row] of tf) {
    termIndex.set(term, p)
    offsets[p] = at
    const idf = Math.log(1 + (documents.length - row.size + 0.5) / (row.size + 0.5))
    for (const [n, frequency] of row) {
      const norm = 1 - B + (B * (lengths[n] ?? 0)) / (average || 1)
      docs[at] = n
      weights[at] = (idf * (frequency * (K1 + 1))) / (frequency + K1 * norm)
      at++
    }
    p++
  }
  offsets[p] = at
  return { ids, terms: termIndex, offsets, docs, weights }
}

export interface SearchHit {
  id: string
  score: number
}

/** The terms a query looks up: the bigrams of each Han run and whole Latin words. */
function queryTerms(query: string): string[] {
  return [...new Set(terms(expandQuery(query)).filter((term) => !(term.length === 1 && CJK.test(term))))]
}

/**
 * The best `limit` documents for a query. Documents matching more of the query's distinct bigrams
 * rank above those matching one term many times.
 */
export function search(index: SearchIndex, query: string, limit = 10): SearchHit[] {
  const lookups = queryTerms(query)
  if (lookups.length === 0) return []
  const scores = new Float32Array(index.ids.length)
  const matched = new Uint16Array(index.ids.length)
  const touched: number[] = []
  let bigrams = 0
  for (const term of lookups) {
    const p = index.terms.get(term)
    const bigram = [...term].length > 1
    if (bigram) bigrams++
    if (p === undefined) continue
    const end = index.offsets[p + 1] as number
    for (let i = index.offsets[p] as number; i < end; i++) {
      const n = index.docs[i] as number
      if (scores[n] === 0) touched.push(n)
      scores[n] = (scores[n] as number) + (index.weights[i] as number)
      if (bigram) matched[n] = (matched[n] as number) + 1
    }
  }
  // Top `limit` by insertion into a short sorted list: no sort over every touched document.
  const top: { n: number; score: number }[] = []
  const divisor = bigrams || 1
  for (const n of touched) {
    const score = (scores[n] as number) * (0.5 + (matched[n] as number) / divisor)
    if (top.length === limit && score <= (top[top.length - 1] as { score: number }).score) continue
    let i = top.length
    while (i > 0 && (top[i - 1] as { score: number }).score < score) i--
    top.splice(i, 0, { n, score })
    if (top.length > limit) top.pop()
  }
  return top.map(({ n, score }) => ({ id: index.ids[n] as string, score }))
}
