export default definePageConfig({ navigationBarTitleText: '管理政策口袋书' })
