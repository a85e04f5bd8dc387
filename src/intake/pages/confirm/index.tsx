import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useRef, useState } from 'react'
import { Field } from '../../../components/field'
import { Notice, Page, Section } from '../../../components/page'
import { ApiError, api, NetworkError } from '../../../services'
import { CONSENT_VERSION, ConfirmSchema, type Receipt } from '../../../shared/schemas/intake'
import { ConsentNotice } from '../../consent'
import { ensureSession, keepReceipt, useIntakeConfig } from '../../platform'
import type { FieldErrorMap } from '../../steps'
import { RECEIPT_URL } from '../../urls'
import '../../intake.css'

function messageFor(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) return '没有找到待确认的申请，请核对回执码和确认码'
  if (error instanceof ApiError && error.status === 429) return '尝试次数太多，请稍后再试'
  if (error instanceof NetworkError) return '网络不稳定，请稍后再试'
  return error instanceof Error ? error.message : '确认没有成功，请稍后再试'
}

/**
 * 确认帮办申请: staff filed for the resident at the counter; the resident confirms it on their own
 * phone with the 6-digit code the staff member shows, and gives the same separate consent.
 */
export default function ConfirmPage() {
  const config = useIntakeConfig()
  const [receipt, setReceipt] = useState('')
  const [code, setCode] = useState('')
  const [agreed, setAgreed] = useState(false)
  const [errors, setErrors] = useState<FieldErrorMap>({})
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const sending = useRef(false)
  const retentionDays = config.config.retentionDays

  const confirm = async () => {
    if (sending.current) return
    setMessage(null)
    const parsed = ConfirmSchema.safeParse({
      receipt,
      code: code.trim(),
      consent: { sensitive: agreed, version: CONSENT_VERSION },
    })
    if (!parsed.success) {
      const found: FieldErrorMap = {}
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.')
        found[path] = [...(found[path] ?? []), issue.message]
      }
      setErrors(found)
      return
    }
    if (!retentionDays) {
      setMessage('还没有取到个人信息的保存期限，请联网后重新加载，再阅读并同意')
      return
    }
    setErrors({})
    sending.current = true
    setBusy(true)
    try {
      await ensureSession()
      const answer = await api.post<Receipt>('/api/v1/intakes/confirm', parsed.data)
      keepReceipt(answer)
      Taro.redirectTo({ url: RECEIPT_URL })
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
        确认帮办申请
      </View>
      <View className="muted">
        工作人员替您填写了创业担保贷款申请。请输入回执码和工作人员给您看的 6 位确认码，阅读并同意后确认。
      </View>
      <Section title="回执码和确认码">
        <Field
          id="confirm-receipt"
          label="回执码（CD 开头的 10 位）"
          maxlength={10}
          value={receipt}
          onChange={setReceipt}
          errors={errors.receipt}
        />
        <Field
          id="confirm-code"
          label="6 位确认码（30 分钟内有效）"
          type="number"
          maxlength={6}
          value={code}
          onChange={setCode}
          errors={errors.code}
        />
      </Section>
      <Section title="个人信息单独同意">
        <ConsentNotice
          station={null}
          retentionDays={retentionDays}
          checked={agreed}
          onChange={setAgreed}
          errors={[...(errors['consent.sensitive'] ?? []), ...(errors['consent.version'] ?? [])]}
        />
        {!retentionDays && config.source !== 'loading' && (
          <Button className="button button--plain" onClick={config.reload}>
            重新加载
          </Button>
        )}
      </Section>
      {message && (
        <Notice tone="error">
          <View id="confirm-error">{message}</View>
        </Notice>
      )}
      <Button id="confirm-submit" className="button" disabled={busy} onClick={confirm}>
        确认申请
      </Button>
    </Page>
  )
}
