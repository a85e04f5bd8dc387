import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Chip } from '../../../components/chip'
import { FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { ApiError, api } from '../../../services'
import { offlineNote, readCopy, sourceLine } from '../../../services/pocketbook'
import { currentStation } from '../../../services/station'
import { taroStorage, useStationPlace } from '../../../services/use-pocketbook'
import { matchPolicies } from '../../../shared/matcher'
import { LOAN_PARAMETERS } from '../../../shared/rules/loan'
import { MatcherAnswersSchema, type MatchResult } from '../../../shared/schemas/policy'
import { chinaDate } from '../../../shared/working-days'
import { byVerdict, VERDICT_LABELS } from '../../format'
import {
  type Answers,
  answer,
  GROUP_OPTIONS,
  parseCount,
  progressLabel,
  type Question,
  questionsFor,
  requestBody,
  toggleGroup,
} from '../../matcher'
import { REGION_GROUPS, regionName } from '../../places'
import { entryUrl } from '../../urls'
import '../../book.css'

type Phase =
  | { state: 'asking' }
  | { state: 'sending' }
  /** `offline`: worked out on the device from the stored copy (the same matcher as the server). */
  | { state: 'results'; items: MatchResult['items']; region: string; offline: string | null }
  | { state: 'failed'; message: string }

/** The answer controls of one question. */
function QuestionBody({
  question,
  answers,
  count,
  onAnswer,
  onCount,
}: {
  question: Question
  answers: Answers
  count: string
  onAnswer: (next: Answers) => void
  onCount: (text: string) => void
}) {
  switch (question.kind) {
    case 'region':
      return (
        <View id="matcher-region">
          {REGION_GROUPS.map(({ city, districts }) => (
            <View key={city.code}>
              <View className="muted">{city.name}</View>
              <View className="chips">
                <Chip
                  id={`matcher-region-${city.code}`}
                  on={answers.region === city.code}
                  label={`${city.name}（全市）`}
                  onTap={() => onAnswer(answer(answers, 'region', city.code))}
                />
                {districts.map((district) => (
                  <Chip
                    key={district.code}
                    id={`matcher-region-${district.code}`}
                    on={answers.region === district.code}
                    label={district.name}
                    onTap={() => onAnswer(answer(answers, 'region', district.code))}
                  />
                ))}
              </View>
            </View>
          ))}
        </View>
      )
    case 'groups':
      return (
        <View className="chips" id="matcher-groups">
          {GROUP_OPTIONS.map(([key, label]) => (
            <Chip
              key={key}
              id={`matcher-group-${key}`}
              multi
              on={answers.groups?.includes(key) ?? false}
              label={label}
              onTap={() => {
                const groups = toggleGroup(answers.groups ?? [], key)
                onAnswer(answer(answers, 'groups', groups.length ? groups : undefined))
              }}
            />
          ))}
        </View>
      )
    case 'choice':
      return (
        <View className="chips" id={`matcher-${question.id}`}>
          {(question.options ?? []).map(([key, label]) => (
            <Chip
              key={key}
              id={`matcher-choice-${key}`}
              on={answers[question.id] === key}
              label={label}
              onTap={() => onAnswer({ ...answers, [question.id]: key })}
            />
          ))}
        </View>
      )
    case 'count':
      return (
        <View className="book-search">
          <Input
            id="matcher-count"
            className="field"
            type="number"
            value={count}
            aria-label={question.title}
            onInput={(e) => onCount(e.detail.value)}
          />
          <Text>{question.unit}</Text>
        </View>
      )
    case 'yesno':
      return (
        <View className="chips" id={`matcher-${question.id}`}>
          <Chip
            id="matcher-yes"
            on={answers[question.id] === true}
            label="是"
            onTap={() => onAnswer({ ...answers, [question.id]: true })}
          />
          <Chip
            id="matcher-no"
            on={answers[question.id] === false}
            label="否"
            onTap={() => onAnswer({ ...answers, [question.id]: false })}
          />
        </View>
      )
  }
}

function countText(answers: Answers, question: Question | undefined): string {
  const value = question ? answers[question.id] : undefined
  return typeof value === 'number' ? String(value) : ''
}

function Results({
  items,
  region,
  offline,
  onEdit,
  onRestart,
}: {
  items: MatchResult['items']
  region: string
  offline: string | null
  onEdit: () => void
  onRestart: () => void
}) {
  const ordered = byVerdict(items)
  const counts = (verdict: 'met' | 'unknown' | 'not_met') =>
    items.filter((item) => item.verdict === verdict).length
  return (
    <View id="matcher-results" data-count={items.length}>
      {offline && (
        <View id="matcher-offline" className="notice notice--offline" role="status">
          {offline}：在手机上计算
        </View>
      )}
      <Notice>
        <View id="matcher-summary">
          按您的回答（{regionName(region)}）：符合 {counts('met')} 条，可能符合 {counts('unknown')} 条，不符合{' '}
          {counts('not_met')} 条。
        </View>
        <View className="muted">
          结果仅供参考，能否享受以人社部门审核为准。跳过的问题，相关条件显示“可能符合”。
        </View>
      </Notice>
      {ordered.map((item) => (
        <View key={item.id} className="section book-match" data-match={item.id} data-verdict={item.verdict}>
          <View className="card__title">
            <Text className={`tag book-verdict--${item.verdict}`}>{VERDICT_LABELS[item.verdict]}</Text>
            {item.title}
          </View>
          {item.amounts.length > 0 && (
            <View className="book-amount" data-amounts>
              {item.amounts.join('；')}
            </View>
          )}
          {item.conditions.map((condition) => (
            <View
              key={condition.id}
              className="book-condition"
              data-condition={condition.id}
              data-verdict={condition.verdict}
            >
              <View>
                <Text className={`tag book-verdict--${condition.verdict}`}>
                  {VERDICT_LABELS[condition.verdict]}
                </Text>
                {condition.label}
              </View>
              <View className="card__meta">{condition.reason}</View>
            </View>
          ))}
          <View className="card__meta">出处：{sourceLine(item.source)}</View>
          <Button
            id={`match-open-${item.id}`}
            className="button button--plain"
            onClick={() => Taro.navigateTo({ url: entryUrl(item.id) })}
          >
            查看政策详情
          </Button>
        </View>
      ))}
      <View className="book-nav">
        <Button id="matcher-edit" className="button button--plain" onClick={onEdit}>
          修改回答
        </Button>
        <Button id="matcher-restart" className="button button--plain" onClick={onRestart}>
          重新开始
        </Button>
      </View>
    </View>
  )
}

/**
 * 政策计算器: one question per screen, each skippable; then the server matches the answers against
 * every published entry's conditions and says, entry by entry and condition by condition, 符合 /
 * 可能符合 / 不符合, with the amounts the rules estimate.
 */
export default function MatcherPage() {
  const place = useStationPlace(currentStation())
  const [answers, setAnswers] = useState<Answers>({})
  const [index, setIndex] = useState(0)
  const [count, setCount] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [phase, setPhase] = useState<Phase>({ state: 'asking' })

  const questions = questionsFor(answers)
  const question = questions[Math.min(index, questions.length - 1)]

  const goTo = (target: number, current: Answers) => {
    setError(null)
    const list = questionsFor(current)
    setIndex(target)
    setCount(countText(current, list[target]))
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
  }

  const submit = (final: Answers) => {
    const body = requestBody(final, place?.regionCode ?? null)
    const checked = MatcherAnswersSchema.safeParse(body)
    if (!checked.success) {
      setError('有的回答不完整，请返回修改')
      return
    }
    setPhase({ state: 'sending' })
    api
      .post<MatchResult>('/api/v1/pocketbook/match', checked.data)
      .then((result) =>
        setPhase({ state: 'results', items: result.items, region: body.region, offline: null }),
      )
      .catch((failure: unknown) => {
        const copy = failure instanceof ApiError ? null : readCopy(taroStorage)
        if (copy) {
          // No network: the same matcher the server runs, over the pocket-book on the device.
          const result = matchPolicies(copy.entries, checked.data, chinaDate(new Date()), LOAN_PARAMETERS)
          setPhase({ state: 'results', items: result.items, region: body.region, offline: offlineNote(copy) })
          return
        }
        setPhase({
          state: 'failed',
          message:
            failure instanceof ApiError
              ? failure.message
              : '暂时连不上网络，手机上也还没有保存口袋书，请联网后再试。您的回答都还在。',
        })
      })
  }

  const advance = (current: Answers) => {
    setAnswers(current)
    const list = questionsFor(current)
    if (index + 1 >= list.length) submit(current)
    else goTo(index + 1, current)
  }

  const next = () => {
    if (!question) return
    if (question.kind === 'count') {
      const parsed = parseCount(count, question.max ?? 100_000)
      if (!parsed.ok) {
        setError(parsed.message)
        return
      }
      advance(answer(answers, question.id, parsed.value))
      return
    }
    if (answers[question.id] === undefined) {
      setError('请选择一项；不清楚可以点“跳过”')
      return
    }
    advance(answers)
  }

  const skip = () => {
    if (question) advance(answer(answers, question.id, undefined))
  }

  const previous = () => {
    if (index > 0) goTo(index - 1, answers)
    else if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
    else Taro.switchTab({ url: '/pages/policies/index' })
  }

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        政策计算器
      </View>
      {phase.state === 'results' ? (
        <Results
          items={phase.items}
          region={phase.region}
          offline={phase.offline}
          onEdit={() => {
            setPhase({ state: 'asking' })
            goTo(questions.length - 1, answers)
          }}
          onRestart={() => {
            setAnswers({})
            setPhase({ state: 'asking' })
            goTo(0, {})
          }}
        />
      ) : (
        question && (
          <Section title="回答几个问题，看看能享受哪些政策">
            <View id="matcher-progress" className="book-progress" role="status">
              {progressLabel(index, questions.length)}
            </View>
            <View className="book-question" id="matcher-question" data-question={question.id}>
              {question.title}
            </View>
            {question.hint && <View className="muted">{question.hint}</View>}
            <QuestionBody
              question={question}
              answers={answers}
              count={count}
              onAnswer={(nextAnswers) => {
                setError(null)
                setAnswers(nextAnswers)
              }}
              onCount={(text) => {
                setError(null)
                setCount(text)
              }}
            />
            <FieldErrors id="matcher-answer" errors={error ? [error] : undefined} />
            {phase.state === 'failed' && (
              <Notice tone="error">
                <View id="matcher-error">{phase.message}</View>
              </Notice>
            )}
            <View className="book-nav">
              <Button id="matcher-prev" className="button button--plain" onClick={previous}>
                上一步
              </Button>
              <Button id="matcher-skip" className="button button--plain" onClick={skip}>
                跳过
              </Button>
            </View>
            <Button
              id="matcher-next"
              className="button"
              disabled={phase.state === 'sending' || undefined}
              onClick={next}
            >
              {phase.state === 'sending'
                ? '正在计算…'
                : index + 1 >= questions.length
                  ? '查看结果'
                  : '下一步'}
            </Button>
          </Section>
        )
      )}
    </Page>
  )
}
