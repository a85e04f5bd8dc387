import { Button, Input, Label, Switch, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { Notice, Page, Section } from '../../components/page'
import { usePreferences } from '../../components/preferences'
import { ApiError, api, keepSession } from '../../services'
import { REDEEM_INTO_PLATFORM_ACCOUNT } from '../../services/login'
import type { Me } from '../../shared/schemas/auth'
import type { TokenPair } from '../../shared/schemas/identity'

function describe(err: unknown, fallback: string): string {
  if (err instanceof ApiError && err.fields) return Object.values(err.fields).flat().join('；') || err.message
  return err instanceof Error ? err.message : fallback
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
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = () => {
    setBusy(true)
    setError(null)
    const body = REDEEM_INTO_PLATFORM_ACCOUNT
      ? { code, displayName }
      : { code, displayName, username, password }
    api
      .post<TokenPair>('/api/v1/invitations/redeem', body, { anonymous: !REDEEM_INTO_PLATFORM_ACCOUNT })
      .then((pair) => {
        keepSession(pair)
        onDone()
      })
      .catch((err: unknown) => setError(describe(err, '邀请码使用失败')))
      .finally(() => setBusy(false))
  }

  return (
    <Section title="使用邀请码加入">
      <Label for="redeem-code" className="muted">
        邀请码
      </Label>
      <Input
        id="redeem-code"
        className="field"
        value={code}
        placeholder="10 位邀请码"
        onInput={(e) => setCode(e.detail.value)}
      />
      <Label for="redeem-name" className="muted">
        姓名
      </Label>
      <Input
        id="redeem-name"
        className="field"
        value={displayName}
        onInput={(e) => setDisplayName(e.detail.value)}
      />
      {!REDEEM_INTO_PLATFORM_ACCOUNT && (
        <>
          <Label for="redeem-username" className="muted">
            设置账号
          </Label>
          <Input
            id="redeem-username"
            className="field"
            value={username}
            onInput={(e) => setUsername(e.detail.value)}
          />
          <Label for="redeem-password" className="muted">
            设置密码（至少 10 位，含大小写字母、数字、符号中的三种）
          </Label>
          <Input
            id="redeem-password"
            className="field"
            password
            value={password}
            onInput={(e) => setPassword(e.detail.value)}
          />
        </>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      <Button id="redeem-submit" className="button" disabled={busy} onClick={submit}>
        加入
      </Button>
    </Section>
  )
}

function StaffLogin({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = () => {
    setBusy(true)
    setError(null)
    api
      .post<TokenPair>('/api/v1/auth/login', { username, password }, { anonymous: true })
      .then((pair) => {
        keepSession(pair)
        onDone()
      })
      .catch((err: unknown) => setError(describe(err, '登录失败')))
      .finally(() => setBusy(false))
  }

  return (
    <Section title="工作人员登录">
      <Label for="login-username" className="muted">
        账号
      </Label>
      <Input
        id="login-username"
        className="field"
        value={username}
        placeholder="请输入账号"
        onInput={(e) => setUsername(e.detail.value)}
      />
      <Label for="login-password" className="muted">
        密码
      </Label>
      <Input
        id="login-password"
        className="field"
        password
        value={password}
        placeholder="请输入密码"
        onInput={(e) => setPassword(e.detail.value)}
      />
      {error && <Notice tone="error">{error}</Notice>}
      <Button id="login-submit" className="button" disabled={busy} onClick={submit}>
        登录
      </Button>
    </Section>
  )
}

export default function MePage() {
  const { largeFont, setLargeFont } = usePreferences()
  const [me, setMe] = useState<Me | null>(null)

  const refresh = useCallback(() => {
    if (!api.tokens.get()) {
      setMe(null)
      return
    }
    api
      .get<Me>('/api/v1/me')
      .then(setMe)
      .catch(() => setMe(null))
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
