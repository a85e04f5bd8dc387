import { Button, Input, Label, Switch, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { Notice, Page, Section } from '../../components/page'
import { usePreferences } from '../../components/preferences'
import { ApiError, api } from '../../services'
import type { Me, TokenResponse } from '../../shared/schemas/auth'

function StaffLogin({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = () => {
    setBusy(true)
    setError(null)
    api
      .post<TokenResponse>('/api/v1/auth/login', { username, password })
      .then((token) => {
        api.tokens.set(token.accessToken)
        onDone()
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.fields) {
          setError(Object.values(err.fields).flat().join('；') || err.message)
        } else {
          setError(err instanceof Error ? err.message : '登录失败')
        }
      })
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
    api.tokens.clear()
    setMe(null)
  }

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
      {me ? (
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
          <Button className="card" onClick={logout}>
            退出登录
          </Button>
        </Section>
      ) : (
        <StaffLogin onDone={refresh} />
      )}
    </Page>
  )
}
