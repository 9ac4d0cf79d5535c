import type * as LunarLib from 'lunar-typescript';
import type * as PinyinLib from 'pinyin-pro';

/**
 * The calendar and pinyin libraries, loaded on the first free-text message rather than at
 * start-up: most messages are keywords, and a service that never sees free text never pays for them.
 */
let lunar: typeof LunarLib | null = null;
let pinyin: typeof PinyinLib | null = null;

export function lunarLibrary(): typeof LunarLib {
  lunar ??= require('lunar-typescript') as typeof LunarLib;
  return lunar;
}

export function pinyinLibrary(): typeof PinyinLib {
  pinyin ??= require('pinyin-pro') as typeof PinyinLib;
  return pinyin;
}
