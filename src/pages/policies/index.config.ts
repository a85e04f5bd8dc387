export default definePageConfig({ navigationBarTitleText: '创业政策口袋书' })
