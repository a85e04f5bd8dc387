/**
 * 分享给朋友: WeChat's share button (`share-button.weapp.tsx`). Elsewhere nothing: Alipay shares
 * from its own menu, and an H5 page is shared by its address.
 */
export function ShareButton() {
  return null
}
