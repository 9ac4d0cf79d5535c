import { readReturnAnswer } from '../../domain/returnHome';
import { comingVacationStart } from '../../domain/schoolCalendar';
import { findChild, type ChildMention, type RosterChild } from './children';
import { dangerIn, likeliestDangerType, standsDown, type DangerType } from './danger';
import { scoredAsDanger } from './dangerModel';
import { parseDate, type Day } from './dates';
import type { CaseAction, CheckInItem, CheckInStatus, ContactMode, RecordField, Role, Understood } from './intents';
import { parseMinutes, parseNumber } from './numbers';
import { normalizeText } from './text';

/** What the sender writes in: their role, today (Asia/Shanghai) and the children they may mean. */
export interface UnderstandingContext {
  role: Role;
  today: Day;
  /** A family's children, a teacher's check-in list (in prompt order) or a director's village. */
  children: readonly RosterChild[];
  /** A guardian's view of the children's parents, to tell 他爸 from 他妈. */
  parents?: ReadonlyArray<{ name: string; relation: 'father' | 'mother' }>;
  /** Short case numbers (`000018`) expand to `<prefix>-<year>-000018`. */
  casePrefix?: string;
  /** The first day of the vacation a parent answers about; the coming default vacation when absent. */
  vacationStartsOn?: Day;
}

const GREETING = /^(?:你好呀|你好|您好|在吗|在不在|在不|在嘛|有人吗|有人在吗|有人冇|哎 ?有人冇|喂+|哈喽|嗨|hello|hi|早|早上好|晚上好|下午好|中午好|新年好|老师好|老师您好|请问在吗)/i;
const THANKS = /谢|感谢|辛苦|3q|thx|费心|操心了|好人一生平安/i;
const HELP = /^怎么|怎么(?:用|弄|搞|操作|登记|说|回复|填|签到|报|转介|评估|邀请)|么样用|不会(?:用|打字)|使用说明|菜单|^帮助|帮助一下|教下|说明给我|指令|能(?:干|做)(?:嘛|什么)|要(?:我)?(?:发|说)什么|该回复什么|格式|不懂|帮帮忙|怎么说/;
const STOP = /(?:别|不要|不想|取消|关掉|暂停|少发|停).{0,6}(?:提醒|通知|推送|发|收)|退订|提醒太多|天天(?:提醒|发)/;
const MY_DATA = /(?:我的|我家).{0,4}(?:信息|资料|数据)|存了我|登记了.{0,4}什么|记录了我|身份证号|泄露|怎么有我的|删除我的/;

/** Reads a message (not a keyword command) into an intent with slots for the sender's role. */
export function understand(raw: string, context: UnderstandingContext): Understood {
  const text = normalizeText(raw);
  const family = context.role === 'parent' || context.role === 'guardian';
  const mention = findChild(text, context.children, { family, ownChildren: context.role === 'parent' });
  const danger = dangerIn(text) ?? (!standsDown(text) && scoredAsDanger(text, context.children) ? likeliestDangerType(text) : null);
  switch (context.role) {
    case 'parent':
      return parentIntent(text, context, mention, danger);
    case 'guardian':
      return guardianIntent(text, context, mention, danger);
    case 'teacher':
      return teacherIntent(text, context, mention, danger);
    case 'director':
      return directorIntent(text, context, mention, danger);
  }
}

function childOf(mention: ChildMention): { child: string | null; ambiguousChildren?: string[] } {
  if (mention && 'child' in mention) return { child: mention.child };
  if (mention && 'ambiguous' in mention) return { child: null, ambiguousChildren: mention.ambiguous };
  return { child: null };
}

function smallTalk(text: string): Understood | null {
  const short = text.length <= 16;
  if (short && THANKS.test(text)) return { intent: 'thanks', slots: {}, confidence: 0.9 };
  if (short && GREETING.test(text)) return { intent: 'greeting', slots: {}, confidence: 0.9 };
  if (HELP.test(text) && text.length <= 20) return { intent: 'help', slots: {}, confidence: 0.8 };
  return null;
}

const other = (confidence = 0.3): Understood => ({ intent: 'other', slots: {}, confidence });

// ——— parent ———

const CHOICE_WORDS: Array<[RegExp, (children: readonly RosterChild[]) => number | null]> = [
  [/^(?:我选|选|就|要)?第?([0-9一二三四五六七八九十])(?:个|号)?(?:吧|的|那个|这个)?$/, () => null],
];

function choiceOf(text: string, children: readonly RosterChild[]): number | null {
  const bare = text.replace(/[，。！!.,~～ ]/g, '');
  if (bare.length > 8) return null;
  for (const [pattern] of CHOICE_WORDS) {
    const match = pattern.exec(bare);
    if (match) return parseNumber(match[1]!);
  }
  const sorted = [...children].filter((child) => child.birthDate).sort((a, b) => a.birthDate!.localeCompare(b.birthDate!));
  if (sorted.length < 2) return null;
  const order = children.map((child) => child.name);
  if (/^(?:选|就|要)?(?:大的|老大|姐姐|哥哥|大伢)(?:那个|吧)?$/.test(bare)) return order.indexOf(sorted[0]!.name) + 1;
  if (/^(?:选|就|要)?(?:小的|老二|老幺|弟弟|妹妹|细伢)(?:那个|吧)?$/.test(bare)) return order.indexOf(sorted.at(-1)!.name) + 1;
  return null;
}

const MODES: Array<[ContactMode, RegExp]> = [
  ['video', /视频|视了.{0,4}频|视个频|开了视频/],
  ['voice', /语音/],
  ['phone', /电话|打了个?电|通了.{0,4}话/],
  ['visit', /(?:回|去).{0,6}看了|看了.{0,3}(?:伢|孩子|一趟)|看过|回去看|回家看|住了.天/],
  ['text', /发了?(?:微信|消息)|微信上?聊|给.{0,3}发了/],
];

function contactMode(text: string): ContactMode | null {
  for (const [mode, pattern] of MODES) if (pattern.test(text)) return mode;
  return null;
}

const CANNOT = /回不(?:去|来|了)|不(?:能|回)(?:家|去|来)?|冇(?:得)?(?:办法|假)?.{0,2}回|没法回|接不了|冇空接|没空接|不能.{0,3}接|冇回|回不/;
const PICKUP = /接(?:走|伢|孩子|他们|她|他|过来|到|出来|来|佳|红|明)|来接|去接|我接|接.{0,4}(?:去|来)|号接$/;
const HOME = /回家|回来|回去|回屋|到家|到屋|回$|^.{0,8}回 |到$|放假.{0,3}回/;
const HOLIDAY_TIME = /过年|春节|寒假|暑假|放假|除夕|年三十|元旦|中秋|元宵|清明|腊月|正月|初[一二三四五六七八九十]|国庆/;
const ENTRUST = /委托|托给|托付|交给.{0,8}(?:带|照顾)|让.{0,6}(?:带|来管)|监护人|照看|就是.{0,4}带了/;
const ASK = /什么没有|怎么样|么样|咋样|如何|好不好|好吧|还好|乖不乖|听不听话|近况|情况|表现|有冇说|消息|留言|考得|好啵|好吗|好不|吗$|冇$|不$|[?？]|有冇|有没有|问问|想知道|想问/;
const WORRY = /担心|情绪|不太对|看不清|不.{0,2}开心|不想(?:上学|去|读)|孤立|咳|不带|下滑|下降|玩手机|不爱说话|不理|哭|打架|逃课|网吧|月经|近视|照顾不过来|管不住|脾气|摔|心情|睡不着|要钱|欺负|瘦|吃不下|不吃饭|笑她|外号|肚子疼|牙|骂|不敢|推|发烧|感冒|病|打了|罚|没交|冻疮|尿床|疙瘩|顶嘴|偷|做噩梦|闷闷不乐|不开心|难吃|吵架|想我|想妈|没人|冇人|压力|累|打闹|迟到|不专心|走神|跟不上|营养|过敏|冇得钱|手头紧|钱|学费|棉|么样搞|怎么办|咋办|不听|不写|脏|饿|单衣|批评|没来|请假|受伤|擦破|包|踢|掀|纸条|喜欢她|零食|冇洗澡|回来|才到屋|出去玩|去同学家|外婆家住/;

function parentIntent(text: string, context: UnderstandingContext, mention: ChildMention, danger: DangerType | null): Understood {
  const who = childOf(mention);
  if (danger) return { intent: 'urgent_danger', slots: { child: who.child, summary: text }, confidence: 0.9, ...ambiguous(who) };
  const choice = choiceOf(text, context.children);
  if (choice !== null) return { intent: 'choice_reply', slots: { choice }, confidence: 0.9 };
  if (STOP.test(text)) return { intent: 'stop_prompts', slots: {}, confidence: 0.85 };
  if (MY_DATA.test(text)) return { intent: 'my_data', slots: {}, confidence: 0.85 };
  if (ENTRUST.test(text)) return { intent: 'entrust_request', slots: { child: who.child, ...guardianOf(text) }, confidence: 0.8 };
  const talk = text.length <= 12 && !/伢|孩子|娃/.test(text) ? smallTalk(text) : null;
  if (talk) return talk;
  const mode = NOT_REACHED.test(text) ? null : contactMode(text);
  const minutes = parseMinutes(text) ?? bareMinutes(text);
  if (mode && (minutes !== null || /了|过|完|已|刚/.test(text)) && !/(?:视频|电话|语音)的时候/.test(text)) {
    return { intent: 'contact_logged', slots: { child: who.child, mode, minutes }, confidence: mode === 'visit' || mode === 'text' ? 0.7 : 0.9, ...ambiguous(who) };
  }
  const work = parentWorkOf(text, context.children);
  if (work) return work;
  const date = parseDate(text, context.today, context.vacationStartsOn ?? comingVacationStart(context.today));
  const holiday = HOLIDAY_TIME.test(text) || (date !== null && !/今天|今晚/.test(text));
  if ((holiday && CANNOT.test(text)) || /回不去|不能回家|没法回去/.test(text)) return { intent: 'holiday_cannot', slots: { child: who.child }, confidence: 0.85 };
  if (holiday && PICKUP.test(text)) return { intent: 'holiday_pickup', slots: { child: who.child, date }, confidence: date ? 0.85 : 0.7 };
  if (holiday && HOME.test(text)) return { intent: 'holiday_home', slots: { child: who.child, date }, confidence: date ? 0.85 : 0.7 };
  if (ASK.test(text) && !/么样搞|怎么办|咋办|担心/.test(text) && text.length <= 30 && (mentionsChild(text, mention) || /老师/.test(text))) {
    return { intent: 'ask_news', slots: { child: who.child }, confidence: 0.8 };
  }
  const later = mentionsChild(text, mention) ? null : smallTalk(text);
  if (later) return later;
  if (WORRY.test(text) && mentionsChild(text, mention)) return { intent: 'concern', slots: { child: who.child, summary: text }, confidence: 0.8, ...ambiguous(who) };
  // Something about the child that fits nothing else: likely a worry, asked back before it is passed on.
  if (mentionsChild(text, mention) && text.length >= 8) return { intent: 'concern', slots: { child: who.child, summary: text }, confidence: 0.5, ...ambiguous(who) };
  return other();
}

/** Coming home to work or start a business (the return-home question), not a holiday visit. */
const RETURN_HOME = /返乡|创业|回(?:老家|家乡|乡|来|去|家)(?:里)?.{0,4}(?:就业|工作|上班|发展|找(?:个|份)?(?:活|工作)|开(?:店|厂|个)|做生意|养殖|种)|技能培训|创业贷款|(?:不|没)(?:打算|考虑|想)(?:回|返)(?:乡|老家|家乡|去|来)(?:工作|发展|就业)?$/;
/** Where the parent works: 在深圳电子厂上班, 在东莞打工 做建筑. */
const WORKS_AT = /(?:我|俺|我们)?(?:现在|目前|一直|今年)?(?:在|去了?|到)([\u4e00-\u9fff]{2,4}?)(?:市|省)?(?:的)?([\u4e00-\u9fff]{0,6}?)(?:打工|务工|上班|做工|干活|工作|做事)(?:[，,、 ]*(?:做|干|搞|在)([\u4e00-\u9fff]{2,6}))?/;

/** The parent's own work (务工) or return-home wish in free words, or null. */
function parentWorkOf(text: string, children: readonly RosterChild[]): Understood | null {
  // 过年不回去 is a holiday answer, not a return-home wish.
  if (RETURN_HOME.test(text) && !HOLIDAY_TIME.test(text)) {
    const answer = readReturnAnswer(text);
    if (answer.intention !== null) return { intent: 'return_home_wish', slots: answer, confidence: 0.8 };
  }
  const match = WORKS_AT.exec(text);
  // 孩子在学校上课 is no parent's work: a child named or meant leaves it to the rules that follow.
  const aboutChild = /伢|孩子|娃|女儿|儿子|闺女|孙/.test(text) || children.some((child) => text.includes(child.name));
  if (!match || aboutChild || /学校|家里|屋里|老家|外面|外地|外边|外头|那边|这边|里$|厂|工地|单位|公司/.test(match[1]!)) return null;
  const trade = match[2] || match[3] || null;
  return { intent: 'parent_work', slots: { place: match[1]!, trade }, confidence: 0.8 };
}

/** Whether the message is about a child at all: named, or 伢, 孩子, 女儿… */
function mentionsChild(text: string, mention: ChildMention): boolean {
  return (mention !== null && 'child' in mention && !/^[\p{P}\p{S}\s]*$/u.test(text) && NAMED.test(text)) || /伢|孩子|娃|宝|女儿|儿子|闺女|孙|老大|老二|大的|小的|姐姐|弟弟|她|他/.test(text);
}

/** A name-like word: the roster's children are named in Chinese characters or pinyin. */
const NAMED = /[\u4e00-\u9fff]{2}|[a-z]{2}/i;

/** A call that did not get through is no contact. */
const NOT_REACHED = /(?:冇|没|不)接电话|电话.{0,2}(?:打不通|不接|关机)/;

function ambiguous(who: { ambiguousChildren?: string[] }): { ambiguousChildren?: string[] } {
  return who.ambiguousChildren ? { ambiguousChildren: who.ambiguousChildren } : {};
}

/** A number right after the contact word (`视频 小红 25`, `小明 电话 40`): minutes. */
function bareMinutes(text: string): number | null {
  const match = /(?:视频|电话|语音)[^0-9]{0,4}?\s?([0-9]{1,3})$|(?:视频|电话)\s?[\u4e00-\u9fff]{0,3}\s([0-9]{1,3})$/.exec(text);
  const value = match ? Number(match[1] ?? match[2]) : null;
  return value && value <= 600 ? value : null;
}

const RELATIONS: Array<[string, RegExp]> = [
  ['外婆', /家家|外婆|姥姥/],
  ['外公', /家公|外公|姥爷/],
  ['爷爷', /爹爹|爷爷/],
  ['奶奶', /婆婆|奶奶/],
  ['姑姑', /姑姑|姑妈/],
  ['舅舅', /舅舅|舅/],
  ['姨妈', /姨妈|姨/],
  ['叔叔', /叔叔/],
  ['伯伯', /伯伯/],
  ['邻居', /邻居/],
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const PERSON_NAME = new RegExp(`[${SURNAMES}][\\u4e00-\\u9fff]{1,2}?(?=[ ，。做来帮当照监要的]|$)`);

function guardianOf(text: string): { guardian: string | null; relation: string | null } {
  const relation = RELATIONS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
  const afterRelation = relation ? text.split(RELATIONS.find(([name]) => name === relation)![1])[1] ?? '' : text;
  const name = PERSON_NAME.exec(afterRelation)?.[0] ?? null;
  return { guardian: name && name.length >= 2 ? name : null, relation };
}

// ——— guardian ———

const CONFIRM = /电话|视频|视了|联系过|打过|来电/;

function guardianIntent(text: string, context: UnderstandingContext, mention: ChildMention, danger: DangerType | null): Understood {
  const who = childOf(mention);
  if (danger) return { intent: 'urgent_danger', slots: { child: who.child, summary: text }, confidence: 0.9, ...ambiguous(who) };
  const talk = smallTalk(text);
  if (talk && talk.intent !== 'help') return talk;
  if (CONFIRM.test(text) && !WORRY.test(text.replace(/两个都哭了|回来|打了/g, ''))) {
    const explicit = who.child !== null && !/[伢孩子娃孙]/.test(text.match(/^.{0,3}/)?.[0] ?? '') ? who.child : who.child;
    return { intent: 'contact_logged_confirm', slots: { parent: parentNamed(text, context), child: explicit }, confidence: 0.85 };
  }
  if (talk) return talk;
  if (WORRY.test(text) || text.length > 12) return { intent: 'concern', slots: { child: who.child, summary: text }, confidence: 0.7, ...ambiguous(who) };
  return other();
}

function parentNamed(text: string, context: UnderstandingContext): string | null {
  const parents = context.parents ?? [];
  const named = parents.find((parent) => text.includes(parent.name) || text.includes(parent.name.slice(1)));
  if (named) return named.name;
  if (/爸爸妈妈|爸妈|他们/.test(text)) return null;
  const father = /爸|老子|儿子|(?<!爹)爹(?!爹)/.test(text);
  const mother = /妈|娘|媳妇/.test(text);
  if (father === mother) return null;
  return parents.find((parent) => parent.relation === (father ? 'father' : 'mother'))?.name ?? null;
}

// ——— teacher ———

const STATUS_WORDS: Array<[CheckInStatus, RegExp]> = [
  ['urgent', /^紧急/],
  ['attention', /^关注/],
  ['normal', /^(?:正常|好的?|没问题|无异常)/],
];
const ALL_FINE = /^(?:本周|这周|今天统一回复)?.{0,6}(?:都|全部?|均|一切|四个|孩子们.{0,3}都).{0,6}(?:正常|好|没(?:什么|啥)(?:问题|事)|无异常)|^都好|^没问题/;

function teacherIntent(text: string, context: UnderstandingContext, mention: ChildMention, danger: DangerType | null): Understood {
  const items = checkInItems(text, context.children);
  if (items) return { intent: 'checkin', slots: { items }, confidence: 0.9 };
  const who = childOf(mention);
  if (danger) return { intent: 'urgent_danger', slots: { child: who.child, summary: text }, confidence: 0.9 };
  if (text.length <= 16 && THANKS.test(text)) return { intent: 'thanks', slots: {}, confidence: 0.9 };
  if (HELP.test(text) && text.length <= 20) return { intent: 'help', slots: {}, confidence: 0.8 };
  if (who.child || (WORRY.test(text) && /伢|孩子|学生|班上/.test(text))) return { intent: 'concern', slots: { child: who.child, summary: text }, confidence: 0.7 };
  return other();
}

/** A check-in answer: numbered (1, ①, 1️⃣, 一), by name, or one line that says all are fine. */
function checkInItems(text: string, children: readonly RosterChild[]): CheckInItem[] | null {
  if (ALL_FINE.test(text) && !/关注|紧急/.test(text)) return [{ n: null, child: null, status: 'normal', note: null }];
  const statusAlone = /^(?:正常){2,}/.exec(text.replace(/[ ，,]/g, ''));
  if (statusAlone && text.replace(/[ ，,😊]/g, '') === '正常'.repeat(text.split('正常').length - 1)) {
    return children.map((child, index) => ({ n: index + 1, child: child.name, status: 'normal' as const, note: null }));
  }
  const names = children.map((child, index) => ({ index, forms: [child.name, child.name.slice(1)] }));
  const named = names.flatMap((entry) => entry.forms).join('|') || '^$';
  // A number or name starts an item after a space or comma, or glued to the item before it when a
  // status word follows at once (`1正常2紧急 说有人摸她`: typed on a phone without spaces).
  const marker = new RegExp(
    `(?<=^|[ ，,。;；])((?:[0-9]{1,2}|[一二三四])(?=[ .、\\-正关紧好]|$)|${named})[ .、\\-]*|([0-9]{1,2}(?=正常|关注|紧急|好)|[一二三四](?=正常|关注|紧急)|(?:${named})(?=正常|关注|紧急))`,
    'g',
  );
  const marks: Array<{ n: number; at: number; end: number }> = [];
  for (const match of text.matchAll(marker)) {
    const token = (match[1] ?? match[2])!;
    const named = names.find((entry) => entry.forms.includes(token));
    const n = named ? named.index + 1 : parseNumber(token);
    if (n === null || n < 1) continue;
    marks.push({ n, at: match.index!, end: match.index! + match[0].length });
  }
  if (marks.length === 0) return null;
  const items: CheckInItem[] = [];
  let pending: number[] = [];
  for (const [index, mark] of marks.entries()) {
    const segment = text.slice(mark.end, marks[index + 1]?.at ?? text.length).trim();
    pending.push(mark.n);
    if (!segment) continue;
    const status = STATUS_WORDS.find(([, pattern]) => pattern.test(segment));
    const rest = /^(?:都|全)?(?:正常|关注|紧急|好的?)/.exec(segment);
    const inline = status ?? (rest ? STATUS_WORDS.find(([, pattern]) => pattern.test(segment.replace(/^都|^全/, ''))) : undefined);
    if (!inline) return null;
    const note = segment.replace(/^(?:都|全)?(?:正常|关注|紧急|好的?)[ ，,]*/, '').replace(/其余正常|其他正常$/, '').replace(/^[\p{P}\p{S}\s]+$/u, '').trim() || null;
    // Danger comes first: a note that signals it is urgent whatever status the teacher typed.
    const alarming = note !== null && dangerIn(note) !== null;
    for (const n of pending) {
      items.push({ n, child: children[n - 1]?.name ?? null, status: n === mark.n && alarming ? 'urgent' : inline[0], note: n === mark.n ? note : null });
    }
    pending = [];
    if (/其余正常|其他(?:都)?正常/.test(segment)) {
      for (let n = 1; n <= children.length; n += 1) if (!items.some((item) => item.n === n)) items.push({ n, child: children[n - 1]!.name, status: 'normal', note: null });
    }
  }
  return pending.length === 0 && items.length > 0 ? items.sort((a, b) => (a.n ?? 0) - (b.n ?? 0)) : null;
}

// ——— director ———

const REPORT_TYPES_BY_WORD: Array<[string, RegExp]> = [
  ['失学辍学', /辍学|不读了|不想读|没去上学|没去学校|逃学|不上学|没去学校/],
  ['流浪乞讨', /流浪|桥洞/],
  ['亲情联系缺失', /(?:没|冇)(?:打过|联系)|不联系|没回来|电话.{0,3}(?:少|空号)/],
  ['监护缺失', /没大人|没人照顾|一个人(?:在|留)|管不过来|照顾不了|中风|没人管|无人/],
  ['心理问题', /情绪|抑郁|哭|发呆|心理|沉迷|不说话|活着好累|冲|压力/],
  ['疾病或意外伤害', /摔|烫|发烧|肺炎|病|住院|伤|医院|卫生院/],
  ['生活困难', /困难|没钱|危房|断粮|漏雨|买不起|取暖|凉鞋|被子|学费|收成/],
];
const DEPARTMENTS: Array<[string, RegExp]> = [
  ['公安', /公安|派出所|警察|报警/],
  ['民政', /民政/],
  ['教育', /教育|学校/],
  ['卫健', /卫健|卫生|医院/],
  ['人社', /人社|人力/],
  ['乡村振兴', /乡村振兴|扶贫/],
  ['团委', /团委|共青团/],
  ['妇联', /妇联/],
  ['残联', /残联/],
  ['法院', /法院/],
  ['检察院', /检察/],
  ['司法', /司法|法律援助/],
];
const ACTIONS: Array<[CaseAction, RegExp]> = [
  ['reopen', /重开|重新打开|又出问题/],
  ['dismiss', /驳回|误会|没这回事|撤掉/],
  ['close', /结案|结了|可以结|解决了/],
  ['refer', /转(?:给|介|到)?|移交|报警/],
  ['verify', /核实|属实|是真的|上门看过/],
  ['assist', /帮扶|送了|资助|免了/],
];

function caseNumber(text: string, context: UnderstandingContext): string | null {
  const full = /([A-Z]{2,4})-(\d{4})-(\d{6})/.exec(text.toUpperCase());
  if (full) return `${full[1]}-${full[2]}-${full[3]}`;
  const short = /(?:^|[^0-9])(0\d{5})(?![0-9])/.exec(text) ?? /(?:^|[^0-9月])(\d{1,5})号(?!.{0,1}(?:回|接))/.exec(text) ?? /(?:案子|案件|件)\s?(\d{1,6})/.exec(text);
  if (!short) return null;
  return `${context.casePrefix ?? 'SW'}-${context.today.slice(0, 4)}-${short[1]!.padStart(6, '0')}`;
}

function directorIntent(text: string, context: UnderstandingContext, mention: ChildMention, danger: DangerType | null): Understood {
  const who = childOf(mention);
  const child = who.child;
  const kase = caseNumber(text, context);
  if (/^怎么|^如何/.test(text)) return { intent: 'help', slots: {}, confidence: 0.8 };
  if (/评估|风险/.test(text) && /[高中低]/.test(text)) return assessmentOf(text, child);
  if (danger) return { intent: 'report', slots: { child, type: danger, summary: text, urgent: true }, confidence: 0.9 };
  if (/邀请|生成个?码|加进来|要绑定/.test(text)) {
    const role = /老师|班主任|教师/.test(text) ? 'teacher' : /奶奶|爷爷|外公|外婆|监护人/.test(text) ? 'guardian' : /妈|爸|父|母|家长/.test(text) ? 'parent' : null;
    const withoutChild = child ? text.replace(child, '') : text;
    const name = /([\u4e00-\u9fff])老师/.exec(withoutChild)?.[0] ?? /[王李张刘陈黄吴周曾][奶爷]奶|王奶奶/.exec(withoutChild)?.[0] ?? PERSON_NAME.exec(withoutChild.replace(/^(?:给|帮|邀请)/, '').replace(/(?:爸爸|妈妈|父亲|母亲|奶奶|爷爷|老师)/g, ' '))?.[0] ?? null;
    return { intent: 'invite', slots: { role, name: name && name.length >= 2 ? name : null, child }, confidence: 0.8 };
  }
  if (/评估|风险|评为|评[高中低]/.test(text) || (child && /(?:^|\s)[高中低]$/.test(text))) return assessmentOf(text, child);
  if (/(?:寒假|暑假|假期|放假|过年).{0,8}(?:名单|哪些|谁|安排|统计|几个|单子|去向|回不回|回家的)|(?:哪些|谁).{0,6}(?:过年|寒假|放假)|^(?:寒假|假期)安排/.test(text)) {
    return { intent: 'holiday_list', slots: {}, confidence: 0.85 };
  }
  const action = ACTIONS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
  const caseWords = /案子|案件|个案|件|号|那个事|的事/.test(text) || kase !== null;
  const department = DEPARTMENTS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
  if (action && (kase || (child && caseWords) || (child && action !== 'assist') || (child && /帮扶/.test(text)))) {
    if (action !== 'refer' || department) {
      return { intent: 'case_step', slots: { case: kase, child: kase ? null : child, action, department: action === 'refer' ? department : null }, confidence: 0.85 };
    }
  }
  if ((caseWords && /案|件|号|事/.test(text) && (kase || /案子|案件|个案/.test(text) || /办得|进展/.test(text))) || (kase && /进度|环节|哪|怎么样|情况|状态|到期/.test(text)) || (kase && text.replace(/[A-Za-z]{2,4}-\d{4}-\d{6}|\d{6}/, '').trim().length <= 6)) {
    return { intent: 'case_query', slots: { case: kase, child: kase ? null : child }, confidence: 0.8 };
  }
  const type = REPORT_TYPES_BY_WORD.find(([, pattern]) => pattern.test(text))?.[0];
  const record = type ? null : recordUpdate(text, child);
  if (record) return record;
  const talk = child ? null : smallTalk(text);
  if (talk) return talk.intent === 'greeting' ? other(0.6) : talk;
  if (type && (child || /伢|孩子|户|婴儿|组/.test(text))) return { intent: 'report', slots: { child, type, summary: text, urgent: false }, confidence: 0.7 };
  if (child && text.length > 8) return { intent: 'report', slots: { child, type: '其他', summary: text, urgent: false }, confidence: 0.5 };
  return other();
}

function assessmentOf(text: string, child: string | null): Understood {
  const level = /高/.test(text) ? 'high' : /中/.test(text.replace(/中心|中学/g, '')) ? 'medium' : /低|没问题/.test(text) ? 'low' : null;
  return { intent: 'assessment', slots: { child, level }, confidence: 0.85 };
}

const RECORD_FIELDS: Array<[RecordField, RegExp, RegExp]> = [
  ['school', /转学|转到|考上|去读|读(?:职高|高中|初中)/, /(?:转学到|转到|考上了?|去读)([\u4e00-\u9fff]{2,8}?)(?:了|$)/],
  ['grade', /年级|升|初[一二三]|高[一二三]/, /((?:[一二三四五六]年级)|初[一二三]|高[一二三])/],
  ['guardian', /跟.{1,3}住|带了?$|改成/, /(?:跟|改成(?:她|他)?)((?:外婆|外公|奶奶|爷爷|姑姑|舅舅|姨妈|叔叔|[\u4e00-\u9fff]{2}))/],
  ['health', /查出|哮喘|近视|残疾|病/, /(哮喘|近视|[\u4e00-\u9fff]{2}病)/],
  ['family', /离婚|回来了|去世|再婚/, /(离婚|回来了|去世|再婚)/],
];

function recordUpdate(text: string, child: string | null): Understood | null {
  if (/(?:没|无)变化/.test(text)) return { intent: 'record_update', slots: { child, field: null, value: null }, confidence: 0.8 };
  if (!child) return null;
  for (const [field, cue, value] of RECORD_FIELDS) {
    if (!cue.test(text)) continue;
    let found = value.exec(text)?.[1] ?? null;
    if (field === 'family' && found) found = { 离婚: '父母离婚', 回来了: '父亲回乡', 去世: '家人去世', 再婚: '再婚' }[found] ?? found;
    return { intent: 'record_update', slots: { child, field, value: found }, confidence: 0.7 };
  }
  return null;
}

