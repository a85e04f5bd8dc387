/**
 * Resident pages live in the main package (what a resident who scans a poster waits for on 4G);
 * staff and official pages live in subpackages that load only when someone opens them, and so
 * do the resident's loan intake (`intake`: the form, its schemas and the pre-check rules) and
 * their questions and appointments (`consult`).
 */
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/policies/index', 'pages/feed/index', 'pages/me/index'],
  subPackages: [
    {
      root: 'staff',
      name: 'staff',
      pages: [
        'pages/home/index',
        'pages/queue/index',
        'pages/intake/index',
        'pages/assist/index',
        'pages/inbox/index',
        'pages/consult/index',
        'pages/schedule/index',
      ],
    },
    {
      root: 'official',
      name: 'official',
      pages: [
        'pages/home/index',
        'pages/stations/index',
        'pages/station-edit/index',
        'pages/policies/index',
        'pages/policy-edit/index',
        'pages/announcements/index',
        'pages/announce/index',
      ],
    },
    {
      root: 'intake',
      name: 'intake',
      pages: [
        'pages/form/index',
        'pages/receipt/index',
        'pages/mine/index',
        'pages/lookup/index',
        'pages/confirm/index',
      ],
    },
    { root: 'book', name: 'book', pages: ['pages/entry/index', 'pages/search/index', 'pages/matcher/index'] },
    { root: 'news', name: 'news', pages: ['pages/detail/index'] },
    {
      root: 'consult',
      name: 'consult',
      pages: [
        'pages/ask/index',
        'pages/mine/index',
        'pages/thread/index',
        'pages/book/index',
        'pages/bookings/index',
      ],
    },
  ],
  window: {
    navigationBarTitleText: '家门口创业服务',
    navigationBarBackgroundColor: '#b3261e',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f6f6f6',
    backgroundTextStyle: 'light',
  },
  tabBar: {
    color: '#555555',
    selectedColor: '#b3261e',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/policies/index',
        text: '口袋书',
        iconPath: 'assets/tab/book.png',
        selectedIconPath: 'assets/tab/book-active.png',
      },
      {
        pagePath: 'pages/feed/index',
        text: '消息',
        iconPath: 'assets/tab/feed.png',
        selectedIconPath: 'assets/tab/feed-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
  // WeChat's code-quality scan asks for on-demand injection of components.
  lazyCodeLoading: 'requiredComponents',
})
