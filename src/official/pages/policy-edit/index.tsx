import { Button, Label, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { EntryView } from '../../../book/entry-view'
import { useStationNames } from '../../../book/platform'
import { Chip } from '../../../components/chip'
import { Field, FieldErrors } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { RoleGate } from '../../../components/role-gate'
import { ApiError, api } from '../../../services'
import { chinaTime } from '../../../services/pocketbook'
import { POLICY_CATEGORIES, type PolicyCategory, TARGET_GROUPS } from '../../../shared/catalog'
import type { Me } from '../../../shared/schemas/auth'
import type { PolicyEntry } from '../../../shared/schemas/policy'
import {
  BENEFIT_KINDS,
  BENEFIT_UNITS,
  type BenefitRow,
  checkNewId,
  contentOf,
  defaultUnit,
  EMPTY_POLICY_FORM,
  emptyBenefit,
  type FieldErrorMap,
  fieldLabel,
  formValuesOf,
  isDirty,
  POLICY_LIST_URL,
  type PolicyFormValues,
  regionOptionsFor,
  STATUS_LABELS,
} from '../../policy-form'
import './index.css'

const CONFLICT_MESSAGE = '内容已被他人修改，已为您刷新'

interface Version {
  version: number
  status: PolicyEntry['status']
  updatedAt: string
  editor: string | null
  changes: { field: string; before: string; after: string }[]
}

/** A labelled multi-line box (Taro's Textarea stops at 140 characters unless told otherwise). */
function TextBox(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  errors?: string[]
  code?: boolean
  placeholder?: string
}) {
  return (
    <>
      <Label for={props.id} className="muted">
        {props.label}
      </Label>
      <Textarea
        id={props.id}
        className={props.code ? 'policy-textarea policy-textarea--code' : 'policy-textarea'}
        value={props.value}
        maxlength={-1}
        autoHeight
        placeholder={props.placeholder}
        onInput={(e) => props.onChange(e.detail.value)}
      />
      <FieldErrors id={props.id} errors={props.errors} />
    </>
  )
}

/** Long values (the rules' JSON) shortened for the change list. */
function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text || '（空）'
}

/** The first version's “changes” are every field from nothing: say “新建” instead of listing them. */
function isFirst(item: Version): boolean {
  return item.changes.length > 0 && item.changes.every((change) => change.before === '（无）')
}

function Versions({ items }: { items: Version[] }) {
  const ordered = [...items].sort((a, b) => b.version - a.version)
  return (
    <Section title="版本记录">
      <View id="policy-versions">
        {ordered.length === 0 && <View className="muted">还没有版本记录。</View>}
        {ordered.map((item) => (
          <View key={item.version} className="card" data-version={item.version}>
            <View className="card__title">
              第 {item.version} 版 · {STATUS_LABELS[item.status]}
            </View>
            <View className="card__meta">
              {chinaTime(item.updatedAt)}
              {item.editor ? ` · ${item.editor}` : ' · 系统内置'}
            </View>
            {isFirst(item) ? (
              <View className="policy-change">首个版本：新建</View>
            ) : (
              item.changes.map((change, index) => (
                <View key={`${change.field}-${index}`} className="policy-change" data-field={change.field}>
                  {fieldLabel(change.field)}：{clip(change.before)} → {clip(change.after)}
                </View>
              ))
            )}
          </View>
        ))}
      </View>
    </Section>
  )
}

function PolicyEditor({ me, id }: { me: Me; id: string | undefined }) {
  const [entry, setEntry] = useState<PolicyEntry | null>(null)
  const [loading, setLoading] = useState(Boolean(id))
  const [loadError, setLoadError] = useState<string | null>(null)
  const [values, setValues] = useState<PolicyFormValues>(EMPTY_POLICY_FORM)
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [message, setMessage] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [preview, setPreview] = useState(false)
  const [versions, setVersions] = useState<Version[]>([])
  const stationNames = useStationNames()
  const regionOptions = useMemo(() => regionOptionsFor(me), [me])
  const currentId = entry?.id ?? id

  const loadVersions = useCallback((policyId: string) => {
    api
      .get<{ items: Version[] }>(`/api/v1/manage/policies/${encodeURIComponent(policyId)}/versions`)
      .then((answer) => setVersions(answer.items))
      .catch(() => setVersions([]))
  }, [])

  /** The entry as stored now (the list is the only read of drafts), and the form reset to it. */
  const reload = useCallback(
    (policyId: string) =>
      api.get<{ items: PolicyEntry[] }>('/api/v1/manage/policies').then((list) => {
        const found = list.items.find((item) => item.id === policyId)
        if (!found) throw new Error('没有找到这条政策，或它不在您的管理范围内')
        setEntry(found)
        setValues(formValuesOf(found))
        setErrors({})
        loadVersions(policyId)
        return found
      }),
    [loadVersions],
  )

  useEffect(() => {
    if (!id) return
    reload(id)
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : '政策加载失败'))
      .finally(() => setLoading(false))
  }, [id, reload])

  const set =
    <K extends keyof PolicyFormValues>(key: K) =>
    (value: PolicyFormValues[K]) => {
      setMessage(null)
      setValues((current) => ({ ...current, [key]: value }))
    }
  const setBenefit = (index: number, change: Partial<BenefitRow>) =>
    set('benefits')(values.benefits.map((row, i) => (i === index ? { ...row, ...change } : row)))
  const toggle = (key: 'regions' | 'groups', code: string) =>
    set(key)(
      values[key].includes(code) ? values[key].filter((item) => item !== code) : [...values[key], code],
    )

  const failed = (error: unknown, policyId: string | undefined) => {
    // A stale version (someone else saved meanwhile): show what is stored now. Other conflicts
    // (publishing what is already published) are said as the API says them.
    if (error instanceof ApiError && error.status === 409 && error.fields?.version && policyId) {
      reload(policyId)
        .then(() => setMessage(CONFLICT_MESSAGE))
        .catch(() => setFormError(CONFLICT_MESSAGE))
      return
    }
    if (error instanceof ApiError && error.fields) setErrors(error.fields)
    setFormError(error instanceof Error ? error.message : '操作没有成功，请稍后再试')
  }

  /** Saves the form as a new draft version; answers the stored entry, or null when it did not. */
  const save = async (): Promise<PolicyEntry | null> => {
    setFormError(null)
    setMessage(null)
    const checked = contentOf(values)
    const idErrors = entry ? [] : checkNewId(values.id)
    if (!checked.ok || idErrors.length) {
      setErrors({ ...(checked.ok ? {} : checked.errors), ...(idErrors.length ? { id: idErrors } : {}) })
      setFormError('请按红字提示修改后再保存')
      return null
    }
    setErrors({})
    try {
      const saved = entry
        ? await api.request<PolicyEntry>('PUT', `/api/v1/manage/policies/${encodeURIComponent(entry.id)}`, {
            body: { version: entry.version, content: checked.content },
          })
        : await api.post<PolicyEntry>('/api/v1/manage/policies', {
            id: values.id.trim(),
            content: checked.content,
          })
      setEntry(saved)
      setValues(formValuesOf(saved))
      loadVersions(saved.id)
      if (!entry) Taro.setNavigationBarTitle({ title: '编辑政策' }).catch(() => {})
      return saved
    } catch (error) {
      failed(error, entry?.id)
      return null
    }
  }

  const run = async (action: () => Promise<void>) => {
    if (busy) return
    setBusy(true)
    try {
      await action()
    } finally {
      setBusy(false)
    }
  }

  const saveDraft = () =>
    run(async () => {
      const saved = await save()
      if (saved) setMessage(`已保存为草稿（第 ${saved.version} 版），发布后居民才能看到`)
    })

  /** 发布 / 归档 act on a stored version: unsaved edits are saved first, then that version is acted on. */
  const act = (action: 'publish' | 'archive') =>
    run(async () => {
      setFormError(null)
      let target = entry
      if (!target || (action === 'publish' && isDirty(values, target))) target = await save()
      if (!target) return
      if (action === 'publish' && target.status === 'published') {
        setMessage('这一版已经发布，居民看到的就是它')
        return
      }
      try {
        const done = await api.post<PolicyEntry>(
          `/api/v1/manage/policies/${encodeURIComponent(target.id)}/${action}`,
          { version: target.version },
        )
        setEntry(done)
        setValues(formValuesOf(done))
        loadVersions(done.id)
        setMessage(action === 'publish' ? '已发布，居民打开口袋书就能看到' : '已归档，居民端不再显示')
      } catch (error) {
        failed(error, target.id)
      }
    })

  if (loading) return <Notice>正在加载政策…</Notice>
  if (loadError) return <Notice tone="error">{loadError}</Notice>

  const checked = preview ? contentOf(values) : null
  const errorsOf = (path: string) => errors[path]

  return (
    <View id="policy-form">
      {entry ? (
        <View className="policy-status" id="policy-status" data-status={entry.status}>
          <View className={`tag tag--${entry.status}`}>{STATUS_LABELS[entry.status]}</View>
          <View className="muted">
            编号 {entry.id} · 第 {entry.version} 版 · {chinaTime(entry.updatedAt)}
          </View>
        </View>
      ) : (
        <Notice>新建的政策先保存为草稿，发布后居民才能看到。</Notice>
      )}
      {message && (
        <View id="policy-message" className="notice" role="status">
          {message}
        </View>
      )}

      <Section title="基本信息">
        {!entry && (
          <Field
            id="edit-id"
            label="编号（小写字母、数字和 -，如 qd-venue-subsidy；保存后不能改）"
            value={values.id}
            onChange={set('id')}
            errors={errorsOf('id')}
          />
        )}
        <Field
          id="edit-title"
          label="标题"
          value={values.title}
          onChange={set('title')}
          errors={errorsOf('title')}
        />
        <Field
          id="edit-summary"
          label="一句话摘要（居民在列表里看到的）"
          value={values.summary}
          maxlength={120}
          onChange={set('summary')}
          errors={errorsOf('summary')}
        />
        <View className="muted">类别</View>
        <View className="chips" id="edit-category">
          {(Object.keys(POLICY_CATEGORIES) as PolicyCategory[]).map((key) => (
            <Chip
              key={key}
              id={`edit-category-${key}`}
              on={values.category === key}
              label={POLICY_CATEGORIES[key].name}
              onTap={() => set('category')(key)}
            />
          ))}
        </View>
        <FieldErrors id="edit-category" errors={errorsOf('category')} />
        <View className="muted">适用地区</View>
        <View className="chips" id="edit-regions">
          {[
            ...regionOptions,
            ...values.regions
              .filter((code) => !regionOptions.some((option) => option.code === code))
              .map((code) => ({ code, name: code })),
          ].map((option) => (
            <Chip
              key={option.code}
              id={`edit-region-${option.code}`}
              multi
              on={values.regions.includes(option.code)}
              label={option.name}
              onTap={() => toggle('regions', option.code)}
            />
          ))}
        </View>
        <FieldErrors id="edit-regions" errors={errorsOf('regions')} />
        <View className="muted">适用人群（都不选：不限人群）</View>
        <View className="chips" id="edit-groups">
          {Object.entries(TARGET_GROUPS)
            .filter(([key]) => key !== 'other')
            .map(([key, label]) => (
              <Chip
                key={key}
                id={`edit-group-${key}`}
                multi
                on={values.groups.includes(key)}
                label={label}
                onTap={() => toggle('groups', key)}
              />
            ))}
        </View>
        <FieldErrors id="edit-groups" errors={errorsOf('groups')} />
      </Section>

      <Section title="可以享受">
        {values.benefits.map((row, index) => (
          <View key={index} className="policy-benefit" id={`edit-benefit-${index}`}>
            <Field
              id={`edit-benefit-${index}-label`}
              label={`第 ${index + 1} 项名称（如 一次性创业补贴）`}
              value={row.label}
              onChange={(label) => setBenefit(index, { label })}
              errors={errorsOf(`benefits.${index}.label`)}
            />
            <View className="chips">
              {(Object.keys(BENEFIT_KINDS) as BenefitRow['kind'][]).map((kind) => (
                <Chip
                  key={kind}
                  id={`edit-benefit-${index}-kind-${kind}`}
                  on={row.kind === kind}
                  label={BENEFIT_KINDS[kind]}
                  onTap={() => setBenefit(index, { kind, unit: defaultUnit(kind) })}
                />
              ))}
            </View>
            {row.kind !== 'text' && (
              <>
                <Field
                  id={`edit-benefit-${index}-amount`}
                  label="数额"
                  type="digit"
                  value={row.amount}
                  onChange={(amount) => setBenefit(index, { amount })}
                  errors={errorsOf(`benefits.${index}.amount`)}
                />
                <View className="chips">
                  {BENEFIT_UNITS.map((unit) => (
                    <Chip
                      key={unit}
                      id={`edit-benefit-${index}-unit-${unit}`}
                      on={row.unit === unit}
                      label={unit}
                      onTap={() => setBenefit(index, { unit })}
                    />
                  ))}
                </View>
              </>
            )}
            <Field
              id={`edit-benefit-${index}-note`}
              label={row.kind === 'text' ? '内容' : '说明（选填）'}
              value={row.note}
              onChange={(note) => setBenefit(index, { note })}
              errors={errorsOf(`benefits.${index}.note`)}
            />
            <FieldErrors id={`edit-benefit-${index}`} errors={errorsOf(`benefits.${index}`)} />
            <Button
              id={`edit-benefit-${index}-remove`}
              className="button button--plain"
              onClick={() => set('benefits')(values.benefits.filter((_, i) => i !== index))}
            >
              删除这一项
            </Button>
          </View>
        ))}
        <FieldErrors id="edit-benefits" errors={errorsOf('benefits')} />
        <Button
          id="edit-benefit-add"
          className="button button--plain"
          onClick={() => set('benefits')([...values.benefits, emptyBenefit()])}
        >
          添加一项
        </Button>
      </Section>

      <Section title="申请条件">
        <TextBox
          id="edit-conditions"
          label="申请条件（一行一条，居民看到的文字）"
          value={values.conditionsText}
          onChange={set('conditionsText')}
          errors={errors['conditions.text'] ?? errorsOf('conditions')}
        />
        <TextBox
          id="edit-rules"
          label="条件规则（JSON，政策计算器按它判断；不会写可以留空）"
          value={values.rules}
          code
          onChange={set('rules')}
          errors={errorsOf('conditions.rules')}
        />
      </Section>

      <Section title="材料和办理">
        <TextBox
          id="edit-materials"
          label="需要准备的材料（一行一项）"
          value={values.materials}
          onChange={set('materials')}
          errors={errorsOf('materials')}
        />
        <TextBox
          id="edit-steps"
          label="办理步骤（一行一步）"
          value={values.steps}
          onChange={set('steps')}
          errors={errorsOf('steps')}
        />
        <Field
          id="edit-apply-at"
          label="办理服务点编码（用空格分开，如 QD0001 QD0002；不填：就近服务站）"
          value={values.applyAt}
          onChange={set('applyAt')}
          errors={errorsOf('applyAt')}
        />
        <Field
          id="edit-apply-note"
          label="办理地点说明（选填）"
          value={values.applyNote}
          onChange={set('applyNote')}
          errors={errorsOf('applyNote')}
        />
      </Section>

      <Section title="政策出处">
        <Field
          id="edit-source-title"
          label="文件名称"
          value={values.sourceTitle}
          onChange={set('sourceTitle')}
          errors={errorsOf('source.title')}
        />
        <Field
          id="edit-source-number"
          label="文号（没有可不填）"
          value={values.sourceNumber}
          onChange={set('sourceNumber')}
          errors={errorsOf('source.documentNumber')}
        />
        <Field
          id="edit-source-issuer"
          label="发文单位"
          value={values.sourceIssuer}
          onChange={set('sourceIssuer')}
          errors={errorsOf('source.issuer')}
        />
        <Field
          id="edit-source-date"
          label="日期（如 2025-02-26、2025-02 或 2025）"
          value={values.sourceDate}
          onChange={set('sourceDate')}
          errors={errorsOf('source.date')}
        />
        <Field
          id="edit-source-clause"
          label="条款（如 第三条第（二）项）"
          value={values.sourceClause}
          onChange={set('sourceClause')}
          errors={errorsOf('source.clause')}
        />
        <Field
          id="edit-local-note"
          label="当地说明（选填，如：具体标准以区人社局公布为准）"
          value={values.localNote}
          onChange={set('localNote')}
          errors={errorsOf('localNote')}
        />
        <Field
          id="edit-effective-from"
          label="生效日期（选填，如 2025-06-01）"
          value={values.effectiveFrom}
          onChange={set('effectiveFrom')}
          errors={errorsOf('effectiveFrom')}
        />
        <Field
          id="edit-effective-until"
          label="失效日期（选填）"
          value={values.effectiveUntil}
          onChange={set('effectiveUntil')}
          errors={errorsOf('effectiveUntil')}
        />
      </Section>

      <Section title="搜索关键词">
        <Field
          id="edit-keywords"
          label="居民可能搜的词（用空格分开，如 大学生 个体户）"
          value={values.keywords}
          onChange={set('keywords')}
          errors={errorsOf('keywords')}
        />
      </Section>

      {formError && (
        <View id="policy-form-error" className="notice notice--error" role="alert">
          {formError}
        </View>
      )}
      {/* `disabled={false}` would reach Taro H5 as the attribute disabled="false", which its own CSS
          reads as disabled: leave the attribute out instead. */}
      <View className="policy-actions">
        <Button id="policy-save" className="button" disabled={busy || undefined} onClick={saveDraft}>
          保存草稿
        </Button>
        <Button id="policy-preview" className="button button--plain" onClick={() => setPreview(!preview)}>
          {preview ? '关闭预览' : '预览'}
        </Button>
        <Button
          id="policy-publish"
          className="button"
          disabled={busy || undefined}
          onClick={() => act('publish')}
        >
          发布
        </Button>
        {entry && entry.status !== 'archived' && (
          <Button
            id="policy-archive"
            className="button button--plain"
            disabled={busy || undefined}
            onClick={() => act('archive')}
          >
            归档
          </Button>
        )}
      </View>

      {checked && (
        <Section title="预览（居民看到的样子）">
          <View id="policy-preview-view" className="policy-preview">
            {checked.ok ? (
              <EntryView content={checked.content} stationNames={stationNames} />
            ) : (
              <Notice tone="error">
                还有内容需要修改：
                {Object.entries(checked.errors)
                  .map(([path, messages]) => `${fieldLabel(path)}：${messages.join('；')}`)
                  .join('；')}
              </Notice>
            )}
          </View>
        </Section>
      )}

      {currentId && entry && <Versions items={versions} />}
      <Button
        id="policy-back"
        className="button button--plain"
        onClick={() => {
          if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
          else Taro.redirectTo({ url: POLICY_LIST_URL })
        }}
      >
        返回政策列表
      </Button>
    </View>
  )
}

export default function PolicyEditPage() {
  const { params } = useRouter()
  const id = params.id?.trim() || undefined

  useEffect(() => {
    Taro.setNavigationBarTitle({ title: id ? '编辑政策' : '新建政策' }).catch(() => {})
  }, [id])

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        {id ? '编辑政策' : '新建政策'}
      </View>
      <RoleGate roles={['official', 'admin']}>{(me) => <PolicyEditor me={me} id={id} />}</RoleGate>
    </Page>
  )
}
