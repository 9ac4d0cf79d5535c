import type { Resource } from '../route';
import { areas } from './areas';

/** Every resource of the admin API, in the order of the reference page. */
export const RESOURCES: readonly Resource[] = [
  areas,
];
