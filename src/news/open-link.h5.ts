/**
 * H5: a link in an announcement opens in this tab, as any link on a page does (`Taro.navigateTo`
 * only knows the app's own pages). The markup only lets `https://` addresses through.
 */
export async function openLink(href: string): Promise<void> {
  window.location.href = href
}
