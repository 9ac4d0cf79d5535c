import {
  ElAlert,
  ElAside,
  ElButton,
  ElCard,
  ElCheckbox,
  ElContainer,
  ElDescriptions,
  ElDescriptionsItem,
  ElDialog,
  ElDrawer,
  ElDropdown,
  ElDropdownItem,
  ElDropdownMenu,
  ElEmpty,
  ElForm,
  ElFormItem,
  ElHeader,
  ElInput,
  ElLoading,
  ElMain,
  ElMenu,
  ElMenuItem,
  ElMessage,
  ElMessageBox,
  ElOption,
  ElRadioButton,
  ElRadioGroup,
  ElResult,
  ElSelect,
  ElSkeleton,
  ElTable,
  ElTableColumn,
  ElTag,
  ElTimeline,
  ElTimelineItem,
  provideGlobalConfig,
} from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import './style.css';

// The Element Plus components the pages use, one by one, so the bundle carries these and not the whole library.
const ELEMENTS = [
  ElAlert, ElAside, ElButton, ElCard, ElCheckbox, ElContainer, ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem,
  ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput, ElLoading, ElMain, ElMenu, ElMenuItem, ElMessage, ElMessageBox, ElOption,
  ElRadioButton, ElRadioGroup, ElResult, ElSelect, ElSkeleton, ElTable, ElTableColumn, ElTag, ElTimeline, ElTimelineItem,
];

const app = createApp(App).use(router);
for (const element of ELEMENTS) app.use(element);
provideGlobalConfig({ locale: zhCn }, app, true);
app.mount('#app');
