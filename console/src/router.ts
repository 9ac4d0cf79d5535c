import { createRouter, createWebHistory } from 'vue-router';
import { whenUnauthorized } from './api';
import { forget, homePath, isDepartment, isOfficer, restoreSession } from './session';

/** Each page is its own chunk: ECharts is loaded only with the pages that draw charts. */
export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
    { path: '/', redirect: () => homePath() },
    { path: '/overview', name: 'overview', component: () => import('./pages/OverviewPage.vue'), meta: { title: '总览' } },
    { path: '/villages', name: 'villages', component: () => import('./pages/VillagesPage.vue'), meta: { title: '村情' } },
    { path: '/children', name: 'children', component: () => import('./pages/ChildrenPage.vue'), meta: { title: '儿童' } },
    { path: '/children/:id(\\d+)', name: 'child', component: () => import('./pages/ChildPage.vue'), meta: { title: '儿童档案' } },
    { path: '/cases', name: 'cases', component: () => import('./pages/CasesPage.vue'), meta: { title: '个案' } },
    { path: '/cases/:number', name: 'case', component: () => import('./pages/CasePage.vue'), meta: { title: '个案详情' } },
    { path: '/exports', name: 'exports', component: () => import('./pages/ExportsPage.vue'), meta: { title: '台账导出' } },
    { path: '/messages', name: 'messages', component: () => import('./pages/MessagesPage.vue'), meta: { title: '消息' } },
    { path: '/accounts', name: 'accounts', component: () => import('./pages/AccountsPage.vue'), meta: { title: '账号', officers: true } },
    { path: '/referrals', name: 'referrals', component: () => import('./pages/ReferralsPage.vue'), meta: { title: '转介办理', departments: true } },
    { path: '/password', name: 'password', component: () => import('./pages/PasswordPage.vue'), meta: { title: '修改密码' } },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '未找到' } },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!(await restoreSession())) return { name: 'login', query: { next: to.fullPath } };
  if (to.meta.officers && !isOfficer()) return { name: 'not-found', params: { rest: to.path.slice(1).split('/') } };
  // Department staff have one page of their own (and their password); everyone else has every page but that one.
  const departmentPage = to.meta.departments === true || to.name === 'password' || to.name === 'not-found';
  if (isDepartment() && !departmentPage) return { path: homePath() };
  if (!isDepartment() && to.meta.departments) return { name: 'not-found', params: { rest: to.path.slice(1).split('/') } };
  return true;
});

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? '')} · 守望`;
});

whenUnauthorized(() => {
  forget();
  if (router.currentRoute.value.name !== 'login') void router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath, ended: '1' } });
});
