export default definePageConfig({ navigationBarTitleText: '政策推送' })
