export default definePageConfig({ navigationBarTitleText: '搜索政策' })
