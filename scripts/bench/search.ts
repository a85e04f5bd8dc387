/**
 * `npm run bench:search` — the pocket-book search over a generated corpus of 3,000 entries: index
 * build time, the time to load the stored index in a fresh process's way (parse + rebuild the
 * typed arrays), and query latency p50/p99 over 300 sampled queries.
 *
 * The corpus recombines the shipped entries' words (titles, summaries, conditions, keywords) with
 * place and group words, so the bigram statistics look like real policy text.
 */
import { POCKETBOOK_ENTRIES } from '../../api/_lib/pocketbook-data'
import { searchDocument } from '../../api/_lib/repos/policies'
import { restoreIndex, storeIndex } from '../../api/_lib/search-store'
import { buildIndex, search } from '../../src/shared/search'

export const SEARCH_P99_TARGET_MS = 2
export const INDEX_LOAD_TARGET_MS = 100

const PLACES = ['青岛', '重庆', '哈尔滨', '沈阳', '大连', '齐齐哈尔', '万州', '黄岛', '渝中', '市南']
const PEOPLE = [
  '高校毕业生',
  '返乡入乡人员',
  '退役军人',
  '就业困难人员',
  '脱贫人口',
  '残疾人',
  '农民工',
  '个体工商户',
  '小微企业',
]
const QUERIES = [
  '大学生 创业 贷款',
  '返乡补贴',
  '社保补贴怎么领',
  '贴息',
  '个体户 一次性补贴',
  '退役军人创业',
  '创业担保贷款 重庆',
  '创业失败 保障',
  '孵化基地',
  '创业培训',
  '场地补贴',
  '无还本续贷',
  '免除反担保',
  '创业导师',
  '求职创业补贴',
  '网络创业',
  '一次性创业补贴',
  '脱贫人口 创业',
  '残疾人 创业',
  '农民工返乡创业',
]

/** A deterministic pseudo-random sequence, so runs are comparable. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

export interface SearchFigures {
  entries: number
  buildMs: number
  serialisedBytes: number
  loadMs: number
  p50Ms: number
  p99Ms: number
  queries: number
}

export function measureSearch(size = 3000, queries = 300): SearchFigures {
  const next = random(42)
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T
  const corpus = Array.from({ length: size }, (_, i) => {
    const base = POCKETBOOK_ENTRIES[i % POCKETBOOK_ENTRIES.length]
    if (!base) throw new Error('no shipped entries')
    const other = pick(POCKETBOOK_ENTRIES)
    return searchDocument({
      ...base,
      id: `gen-${i}`,
      title: `${pick(PLACES)}${base.title}`,
      summary: `${base.summary}${pick(PEOPLE)}${other.summary.slice(0, 20)}`,
      keywords: [...base.keywords.slice(0, 4), pick(PEOPLE), pick(PLACES)],
      conditions: {
        ...base.conditions,
        text: [...base.conditions.text, ...other.conditions.text.slice(0, 1)],
      },
    })
  })
  let started = performance.now()
  const index = buildIndex(corpus)
  const buildMs = performance.now() - started
  const stored = JSON.stringify(storeIndex(index))
  started = performance.now()
  const loaded = restoreIndex(JSON.parse(stored))
  const loadMs = performance.now() - started
  // Warm up the JIT the way a serving process is warm after its first requests.
  for (let i = 0; i < 50; i++) search(loaded, pick(QUERIES), 10)
  const samples: number[] = []
  for (let i = 0; i < queries; i++) {
    const query = next() < 0.3 ? `${pick(PLACES)} ${pick(QUERIES)}` : pick(QUERIES)
    const t0 = performance.now()
    search(loaded, query, 10)
    samples.push(performance.now() - t0)
  }
  return {
    entries: size,
    buildMs,
    serialisedBytes: Buffer.byteLength(stored),
    loadMs,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    queries,
  }
}

function main() {
  const figures = measureSearch()
  console.log(
    `Pocket-book search over ${figures.entries} generated entries, ${figures.queries} sampled queries:`,
  )
  console.log(`  index build      ${figures.buildMs.toFixed(0)} ms (when content changes, not per request)`)
  console.log(
    `  index load       ${figures.loadMs.toFixed(1)} ms for ${(figures.serialisedBytes / 1024 / 1024).toFixed(1)} MB stored (target ≤ ${INDEX_LOAD_TARGET_MS} ms)`,
  )
  console.log(
    `  query latency    p50 ${figures.p50Ms.toFixed(3)} ms  p99 ${figures.p99Ms.toFixed(3)} ms (target p99 ≤ ${SEARCH_P99_TARGET_MS} ms)`,
  )
}

if (require.main === module) main()
