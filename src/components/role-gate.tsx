import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { type ReactNode, useEffect, useState } from 'react'
import { api } from '../services'
import type { Role } from '../shared/catalog'
import type { Me } from '../shared/schemas/auth'
import { Notice } from './page'

type Gate = { state: 'loading' } | { state: 'allowed'; me: Me } | { state: 'denied' }

/**
 * Shows its content only to the given roles. The API enforces the same rule on every request;
 * this gate only spares people a page they cannot use.
 */
export function RoleGate({ roles, children }: { roles: Role[]; children: (me: Me) => ReactNode }) {
  const [gate, setGate] = useState<Gate>({ state: 'loading' })
  const key = roles.join(',')

  useEffect(() => {
    const allowed = key.split(',')
    if (!api.tokens.get()) {
      setGate({ state: 'denied' })
      return
    }
    api
      .get<Me>('/api/v1/me')
      .then((me) => setGate(allowed.includes(me.role) ? { state: 'allowed', me } : { state: 'denied' }))
      .catch(() => setGate({ state: 'denied' }))
  }, [key])

  if (gate.state === 'loading') return <Notice>正在确认身份…</Notice>
  if (gate.state === 'denied') {
    return (
      <Notice tone="error">
        <View>此页面仅限工作人员使用，请先在“我的”页面登录。</View>
        <Button className="button" onClick={() => Taro.switchTab({ url: '/pages/me/index' })}>
          去登录
        </Button>
      </Notice>
    )
  }
  return <>{children(gate.me)}</>
}
