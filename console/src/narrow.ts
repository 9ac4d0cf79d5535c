import { ref } from 'vue';

/** Phone width: pages stack their columns and the menu moves to the top. */
export const narrow = ref(window.innerWidth < 760);
window.addEventListener('resize', () => (narrow.value = window.innerWidth < 760));
