/**
 * Asking to be told when the intake's status changes. Only WeChat has one-time subscribe
 * messages configured here (`subscribe.weapp.ts`); H5 and Alipay residents follow the status on
 * 我的申请 or with 查询进度.
 *
 * @returns whether the resident accepted; never rejects.
 */
export async function askToNotify(_templateId: string | null): Promise<boolean> {
  return false
}
