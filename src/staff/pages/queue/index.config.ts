export default definePageConfig({ navigationBarTitleText: '受理队列' })
