import { Button, View } from '@tarojs/components'
import { useRef, useState } from 'react'
import { Field } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { ApiError, api, NetworkError } from '../../../services'
import { type IntakeStatusView, LookupSchema } from '../../../shared/schemas/intake'
import { lastReceipt } from '../../platform'
import { IntakeStatusCard } from '../../status-view'
import type { FieldErrorMap } from '../../steps'
import '../../intake.css'

function messageFor(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) return '没有找到，请核对回执码和手机号后四位'
  if (error instanceof ApiError && error.status === 429) return '尝试次数太多，请稍后再试'
  if (error instanceof NetworkError) return '网络不稳定，请稍后再试'
  return error instanceof Error ? error.message : '查询失败，请稍后再试'
}

/** 查询办理进度: receipt code + the last four digits of the mobile number, no sign-in needed. */
export default function LookupPage() {
  const [receipt, setReceipt] = useState(() => lastReceipt()?.receipt ?? '')
  const [mobileLast4, setMobileLast4] = useState('')
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [message, setMessage] = useState<string | null>(null)
  const [result, setResult] = useState<IntakeStatusView | null>(null)
  const [busy, setBusy] = useState(false)
  const sending = useRef(false)

  const lookup = async () => {
    if (sending.current) return
    setMessage(null)
    setResult(null)
    const parsed = LookupSchema.safeParse({ receipt, mobileLast4: mobileLast4.trim() })
    if (!parsed.success) {
      const found: FieldErrorMap = {}
      for (const issue of parsed.error.issues) found[String(issue.path[0])] = [issue.message]
      setErrors(found)
      return
    }
    setErrors({})
    sending.current = true
    setBusy(true)
    try {
      setResult(await api.post<IntakeStatusView>('/api/v1/intakes/lookup', parsed.data))
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.fields) setErrors(error.fields)
      setMessage(messageFor(error))
    } finally {
      sending.current = false
      setBusy(false)
    }
  }

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        查询办理进度
      </View>
      <Section title="回执码和手机号">
        <Field
          id="lookup-receipt"
          label="回执码（CD 开头的 10 位）"
          placeholder="如 CD7K3M9PXQ"
          maxlength={10}
          value={receipt}
          onChange={setReceipt}
          errors={errors.receipt}
        />
        <Field
          id="lookup-mobile4"
          label="申请时所留手机号的后四位"
          type="number"
          maxlength={4}
          value={mobileLast4}
          onChange={setMobileLast4}
          errors={errors.mobileLast4}
        />
        {message && (
          <Notice tone="error">
            <View id="lookup-error">{message}</View>
          </Notice>
        )}
        <Button id="lookup-submit" className="button" disabled={busy} onClick={lookup}>
          查询
        </Button>
      </Section>
      {result && (
        <View id="lookup-result">
          <IntakeStatusCard intake={result} />
        </View>
      )}
    </Page>
  )
}
