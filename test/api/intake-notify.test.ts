import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts } from '../../api/_lib/repos/accounts'
import { startSession } from '../../api/_lib/sessions'
import { startTestApi, type TestApi } from '../support/api-server'
import { setEnv } from '../support/env'
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat'
import { idempotencyKey, intakeBody } from '../support/people'

/** A resident who opted in hears about a status change once per subscription (WeChat's one-time rule). */
describe('WeChat subscribe message on an intake status change', () => {
  const APPID = 'wx00000000000000e5'
  const TEMPLATE = 'tmpl-intake-status-0001'
  const CONSULT_TEMPLATE = 'tmpl-consult-answer-0001'
  let api: TestApi
  let wechat: FakeWechat
  let restoreEnv = () => {}
  let bank: string

  beforeAll(async () => {
    wechat = await startFakeWechat({ appid: APPID, secret: 'notify-test-secret' })
    restoreEnv = setEnv({
      WECHAT_APPID: APPID,
      WECHAT_SECRET: 'notify-test-secret',
      WECHAT_API_BASE: wechat.url,
      WECHAT_INTAKE_TEMPLATE_ID: TEMPLATE,
      WECHAT_CONSULT_TEMPLATE_ID: CONSULT_TEMPLATE,
    })
    api = await startTestApi('tcp')
    bank = await api.login('demo-bank')
  })
  afterAll(async () => {
    await api?.close()
    await wechat?.close()
    restoreEnv()
  })

  async function wechatResident(openid: string): Promise<string> {
    const account = await accounts.create({
      displayName: '微信用户',
      role: 'resident',
      scope: { type: 'none' },
      identities: [`wechat:${APPID}:${openid}`],
    })
    if (!account) throw new Error('no account')
    return (await startSession(account)).accessToken
  }

  async function file(token: string, seq: number, notify: boolean): Promise<string> {
    const answer = await api.call('/api/v1/intakes', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': idempotencyKey(),
      },
      body: JSON.stringify({ ...intakeBody('CQ0001', seq), notify }),
    })
    expect(answer.status).toBe(201)
    return (answer.body as { id: string }).id
  }

  const move = (id: string, to: string, version: number) =>
    api.call(`/api/v1/intakes/${id}/transitions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bank}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ to, version }),
    })

  it('sends one message for the opt-in, to the resident’s openid, opening 我的申请', async () => {
    const token = await wechatResident('openid-notify-a')
    wechat.grantSubscription('openid-notify-a', TEMPLATE)
    const id = await file(token, 301, true)
    expect((await move(id, 'contacted', 1)).status).toBe(200)
    expect(wechat.messages).toHaveLength(1)
    expect(wechat.messages[0]).toMatchObject({
      openid: 'openid-notify-a',
      templateId: TEMPLATE,
      page: 'intake/pages/mine/index',
    })
    expect(JSON.stringify(wechat.messages[0]?.data)).toContain('已联系')
    // The one-time subscription is spent: the next change sends nothing.
    expect((await move(id, 'accepted', 2)).status).toBe(200)
    expect(wechat.messages).toHaveLength(1)
  })

  it('sends nothing without an opt-in, and a refused send (43101) does not fail the change', async () => {
    const before = wechat.messages.length
    const quiet = await file(await wechatResident('openid-notify-b'), 302, false)
    expect((await move(quiet, 'contacted', 1)).status).toBe(200)
    const refused = await file(await wechatResident('openid-notify-c'), 303, true)
    const answer = await move(refused, 'contacted', 1)
    expect(answer.status).toBe(200)
    expect(wechat.messages.length).toBe(before)
    expect(
      wechat.calls.filter((call) => call.path === '/cgi-bin/message/subscribe/send').length,
    ).toBeGreaterThanOrEqual(2)
  })

  it('tells a resident who opted in that their question was answered, once', async () => {
    const token = await wechatResident('openid-consult-a')
    wechat.grantSubscription('openid-consult-a', CONSULT_TEMPLATE)
    const asked = await api.call('/api/v1/consultations', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        station: 'QD0001',
        topic: 'loan',
        text: '贷款怎么申请？',
        contact: 'in_app',
        notify: true,
      }),
    })
    const { id } = asked.body as { id: string }
    const staff = await api.login('demo-station')
    const reply = (version: number, text: string) =>
      api.call(`/api/v1/consultations/${id}/reply`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${staff}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ version, text }),
      })
    const before = wechat.messages.length
    expect((await reply(1, '您好，可以在助创驿站提交受理。')).status).toBe(200)
    expect(wechat.messages.slice(before)).toEqual([
      expect.objectContaining({
        openid: 'openid-consult-a',
        templateId: CONSULT_TEMPLATE,
        page: `consult/pages/thread/index?id=${id}`,
      }),
    ])
    expect((await reply(2, '补充：需要带身份证。')).status).toBe(200)
    expect(wechat.messages.length).toBe(before + 1)
  })
})
