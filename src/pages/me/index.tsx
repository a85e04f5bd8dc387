import { Button, Label, Switch, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { Field } from '../../components/field'
import { Notice, Page, Section } from '../../components/page'
import { usePreferences } from '../../components/preferences'
import { MY_BOOKINGS_URL, MY_CONSULTS_URL } from '../../consult/urls'
import { CONFIRM_URL, LOOKUP_URL, MINE_URL } from '../../intake/urls'
import { ApiError, api, keepSession } from '../../services'
import { REDEEM_INTO_PLATFORM_ACCOUNT } from '../../services/login'
import { refreshUnreadBadge } from '../../services/unread'
import type { Me } from '../../shared/schemas/auth'
import type { TokenPair } from '../../shared/schemas/identity'

function describe(err: unknown, fallback: string): string {
  if (err instanceof ApiError && err.fields) return Object.values(err.fields).flat().join('；') || err.message
  return err instanceof Error ? err.message : fallback
}

/** Posts a form that answers a session; keeps the session, or shows why it failed. */
function useSessionForm(path: string, fallback: string, onDone: () => void, anonymous: boolean) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = (body: unknown) => {
    setBusy(true)
    setError(null)
    api
      .post<TokenPair>(path, body, { anonymous })
      .then((pair) => {
        keepSession(pair)
        onDone()
      })
      .catch((err: unknown) => setError(describe(err, fallback)))
      .finally(() => setBusy(false))
  }
  return { error, busy, submit }
}

/**
 * Staff join by a one-time invitation. In WeChat and Alipay the invitation is bound to the
 * account the resident is already signed in with; on H5 it creates an account with a password.
 */
function RedeemInvitation({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const form = useSessionForm(
    '/api/v1/invitations/redeem',
    '邀请码使用失败',
    onDone,
    !REDEEM_INTO_PLATFORM_ACCOUNT,
  )
  const submit = () =>
    form.submit(
      REDEEM_INTO_PLATFORM_ACCOUNT ? { code, displayName } : { code, displayName, username, password },
    )

  return (
    <Section title="使用邀请码加入">
      <Field id="redeem-code" label="邀请码" value={code} placeholder="10 位邀请码" onChange={setCode} />
      <Field id="redeem-name" label="姓名" value={displayName} onChange={setDisplayName} />
      {!REDEEM_INTO_PLATFORM_ACCOUNT && (
        <>
          <Field id="redeem-username" label="设置账号" value={username} onChange={setUsername} />
          <Field
            id="redeem-password"
            label="设置密码（至少 10 位，含大小写字母、数字、符号中的三种）"
            value={password}
            password
            onChange={setPassword}
          />
        </>
      )}
      {form.error && <Notice tone="error">{form.error}</Notice>}
      <Button id="redeem-submit" className="button" disabled={form.busy} onClick={submit}>
        加入
      </Button>
    </Section>
  )
}

function StaffLogin({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const form = useSessionForm('/api/v1/auth/login', '登录失败', onDone, true)

  return (
    <Section title="工作人员登录">
      <Field
        id="login-username"
        label="账号"
        value={username}
        placeholder="请输入账号"
        onChange={setUsername}
      />
      <Field
        id="login-password"
        label="密码"
        value={password}
        placeholder="请输入密码"
        password
        onChange={setPassword}
      />
      {form.error && <Notice tone="error">{form.error}</Notice>}
      <Button
        id="login-submit"
        className="button"
        disabled={form.busy}
        onClick={() => form.submit({ username, password })}
      >
        登录
      </Button>
    </Section>
  )
}

export default function MePage() {
  const { largeFont, setLargeFont } = usePreferences()
  const [me, setMe] = useState<Me | null>(null)
  const [unread, setUnread] = useState(0)

  const refresh = useCallback(() => {
    if (!api.tokens.get()) {
      setMe(null)
      return
    }
    api
      .get<Me>('/api/v1/me')
      .then(setMe)
      .catch(() => setMe(null))
    // New answers to the resident's questions: on the 我的 tab's badge and beside 我的咨询.
    refreshUnreadBadge().then((count) => {
      if (count !== null) setUnread(count)
    })
  }, [])

  useDidShow(refresh)

  const logout = () => {
    api
      .post('/api/v1/auth/logout', undefined)
      .catch(() => {})
      .finally(() => {
        api.tokens.clear()
        setMe(null)
      })
  }
  const isStaff = me !== null && me.role !== 'resident'

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        我的
      </View>
      <Section title="显示">
        <View className="row">
          <Label for="large-font-switch">大字模式</Label>
          <Switch
            id="large-font-switch"
            aria-label="大字模式"
            checked={largeFont}
            color="#b3261e"
            onChange={(e) => setLargeFont(e.detail.value)}
          />
        </View>
        <View className="muted">开启后，所有页面的文字和按钮都会变大。</View>
      </Section>
      {!isStaff && (
        <Section title="咨询与预约">
          <Button
            id="go-my-consults"
            className="card"
            onClick={() => Taro.navigateTo({ url: MY_CONSULTS_URL })}
          >
            我的咨询
            {unread > 0 && (
              <Text className="tag" id="my-consults-unread">
                {` ${unread} 条新答复`}
              </Text>
            )}
          </Button>
          <Button
            id="go-my-bookings"
            className="card"
            onClick={() => Taro.navigateTo({ url: MY_BOOKINGS_URL })}
          >
            我的预约
          </Button>
        </Section>
      )}
      {!isStaff && (
        <Section title="创业担保贷款">
          <Button id="go-my-intakes" className="card" onClick={() => Taro.navigateTo({ url: MINE_URL })}>
            我的申请
          </Button>
          <Button id="go-intake-lookup" className="card" onClick={() => Taro.navigateTo({ url: LOOKUP_URL })}>
            查询办理进度
          </Button>
          <Button
            id="go-intake-confirm"
            className="card"
            onClick={() => Taro.navigateTo({ url: CONFIRM_URL })}
          >
            确认帮办申请
          </Button>
        </Section>
      )}
      {me && (
        <Section title="当前账号">
          <View className="card">
            <View className="card__title">{me.displayName}</View>
            <View className="card__meta">
              {me.roleName} · {me.scopeName}
            </View>
          </View>
          {(me.role === 'station_staff' || me.role === 'bank_staff') && (
            <Button className="button" onClick={() => Taro.navigateTo({ url: '/staff/pages/home/index' })}>
              进入工作台
            </Button>
          )}
          {(me.role === 'official' || me.role === 'admin') && (
            <Button className="button" onClick={() => Taro.navigateTo({ url: '/official/pages/home/index' })}>
              进入管理台
            </Button>
          )}
          {isStaff && (
            <Button className="card" onClick={logout}>
              退出登录
            </Button>
          )}
        </Section>
      )}
      {!isStaff && <StaffLogin onDone={refresh} />}
      {!isStaff && <RedeemInvitation onDone={refresh} />}
    </Page>
  )
}
