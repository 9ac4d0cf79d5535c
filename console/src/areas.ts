import { get } from './api';

export interface Area {
  code: string;
  name: string;
  level: 'city' | 'district' | 'township' | 'village';
  parentCode: string | null;
}

let loaded: Promise<Area[]> | undefined;

/** The areas of the user's scope (the API lists only those), read once per visit. */
export function areasInScope(): Promise<Area[]> {
  loaded ??= get<{ items: Area[] }>('/areas?limit=500').then((page) => page.items);
  return loaded;
}
