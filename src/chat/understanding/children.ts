import { pinyinLibrary } from './libraries';

/** A child the sender may mean: their own children, a teacher's list or a director's village. */
export interface RosterChild {
  name: string;
  /** `YYYY-MM-DD`; without it "the eldest" cannot be told. */
  birthDate?: string | null;
  sex?: 'F' | 'M' | null;
}

/** Who a message means: one child, several equally likely (ask with numbers), or nobody named. */
export type ChildMention = { child: string } | { ambiguous: string[] } | null;

const ELDEST = /老大|大的|大伢|大宝|大女儿|大儿子|姐姐|哥哥/;
const YOUNGEST = /老二|老幺|小的|细伢|二宝|小宝|小女儿|小儿子|弟弟|妹妹/;
const DAUGHTER = /女儿|闺女|姑娘/;
const SON = /儿子/;
/** Words that name "the child" without saying which. */
const GENERIC = /孩子|伢|娃|宝宝|小孩|女儿|儿子|闺女|孙|她|他/;
/** Characters too common in given names to make a nickname from. */
const NO_NICKNAME = new Set(['小', '晓', '子', '阿', '大', '家']);

interface NameForms {
  name: string;
  given: string | null;
  nicknames: string[];
  sounds: string[];
  latin: string[];
}

const formsCache = new Map<string, NameForms>();

function plain(text: string, surnameHead: boolean): string[] {
  return pinyinLibrary().pinyin(text, { toneType: 'none', type: 'array', surname: surnameHead ? 'head' : 'off' }) as string[];
}

/** Full name, given name and nicknames (小红, 红红), their sounds (王晓红), pinyin and initials. */
function formsOf(name: string): NameForms {
  const cached = formsCache.get(name);
  if (cached) return cached;
  const given = name.length >= 3 ? name.slice(1) : name;
  const last = given.at(-1)!;
  const first = given[0]!;
  const nicknames = [`${last}${last}`, `小${last}`, `阿${last}`].concat(NO_NICKNAME.has(first) || given.length < 2 ? [] : [`${first}${first}`]);
  const full = plain(name, true);
  const givenSound = full.slice(name.length - given.length);
  const forms: NameForms = {
    name,
    given: given.length >= 2 ? given : null,
    nicknames: nicknames.filter((nick) => nick !== given),
    sounds: [full.join(' '), ...(given.length >= 2 ? [givenSound.join(' ')] : [])],
    latin: [full.join(''), full.map((syllable) => syllable[0]).join(''), ...(given.length >= 2 ? [givenSound.join('')] : [])],
  };
  formsCache.set(name, forms);
  return forms;
}

/** How strongly the text names this child: 3 the full name, 2 the given name or a sound-alike, 1 a nickname. */
function scoreOf(text: string, soundOfText: string | null, latinWords: string[], forms: NameForms): number {
  if (text.includes(forms.name)) return 3;
  if (forms.given && text.includes(forms.given)) return 2;
  if (soundOfText !== null && forms.sounds.some((sound) => ` ${soundOfText} `.includes(` ${sound} `))) return 2;
  if (latinWords.some((word) => forms.latin.includes(word))) return 2;
  if (forms.nicknames.some((nick) => text.includes(nick))) return 1;
  return 0;
}

function byAge(children: readonly RosterChild[], eldest: boolean): RosterChild | null {
  if (children.length < 2 || children.some((child) => !child.birthDate)) return null;
  const sorted = [...children].sort((a, b) => a.birthDate!.localeCompare(b.birthDate!));
  return eldest ? sorted[0]! : sorted.at(-1)!;
}

/**
 * The child a message names among the roster: by full name, given name, nickname, sound-alike
 * characters, pinyin or initials, or as the eldest / the younger one / the daughter. With one child
 * on a family's roster, "the child" (or nothing) is that child. Two children named equally well are
 * returned as ambiguous: the caller asks, never guesses.
 */
export function findChild(text: string, roster: readonly RosterChild[], options: { family: boolean; ownChildren: boolean }): ChildMention {
  if (roster.length === 0) return null;
  const latinWords = text.toLowerCase().match(/[a-z]{2,}/g) ?? [];
  // Sounds are the slow part: only when no name is written as it is.
  let scored = roster.map((child) => ({ child, score: scoreOf(text, null, latinWords, formsOf(child.name)) }));
  if (scored.every((entry) => entry.score === 0)) {
    const hanzi = text.replace(/[^\u4e00-\u9fff]+/g, ' ').trim();
    const soundOfText = hanzi ? plain(hanzi, false).filter((syllable) => syllable.trim()).join(' ') : '';
    if (soundOfText) scored = roster.map((child) => ({ child, score: scoreOf(text, soundOfText, latinWords, formsOf(child.name)) }));
  }
  const best = Math.max(...scored.map((entry) => entry.score));
  if (best > 0) {
    const top = scored.filter((entry) => entry.score === best).map((entry) => entry.child.name);
    return top.length === 1 ? { child: top[0]! } : { ambiguous: top };
  }
  if (options.family) {
    const eldest = ELDEST.test(text) ? byAge(roster, true) : null;
    const youngest = YOUNGEST.test(text) ? byAge(roster, false) : null;
    if (eldest && !youngest) return { child: eldest.name };
    if (youngest && !eldest) return { child: youngest.name };
    const bySex = !options.ownChildren ? null : DAUGHTER.test(text) ? 'F' : SON.test(text) ? 'M' : null;
    const ofSex = bySex ? roster.filter((child) => child.sex === bySex) : [];
    if (ofSex.length === 1) return { child: ofSex[0]!.name };
    if (roster.length === 1) return { child: roster[0]!.name };
    if (GENERIC.test(text)) return { ambiguous: roster.map((child) => child.name) };
  }
  return null;
}
