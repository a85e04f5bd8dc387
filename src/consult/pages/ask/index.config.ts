export default definePageConfig({ navigationBarTitleText: '咨询创业政策' })
