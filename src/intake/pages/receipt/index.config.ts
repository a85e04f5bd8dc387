export default definePageConfig({ navigationBarTitleText: '受理回执' })
