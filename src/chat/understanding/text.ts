/**
 * Puts a message into one spelling before it is read: simplified characters, ASCII digits, circled
 * and keycap numbers as digits. Phones switch between traditional and simplified input, and
 * teachers number their lines with ① or 1️⃣.
 */
/** Pairs of a traditional character and its simplified form, as they occur in chat. */
const PAIRS = '視视頻频電电話话過过來来麼么說说們们嗎吗謝谢鐘钟時时個个號号這这裡里見见聯联繫系學学還还沒没幾几點点後后開开關关發发給给對对讓让問问題题樣样兒儿媽妈爺爷孫孙與与為为會会紅红曉晓華华東东聽听頭头準准備备張张劉刘陳陈黃黄楊杨趙赵吳吴週周鄭郑馮冯鄧邓蔣蒋許许葉叶蘇苏盧卢鍾钟龍龙師师網网邊边隻只難难總总歡欢親亲錢钱寫写傷伤殺杀亂乱帶带醫医療疗險险誰谁綁绑實实報报請请評评處处轉转結结駁驳驗验氣气應应當当該该錯错導导護护監监壞坏兩两讀读書书罵骂趕赶擔担憂忧鬱郁誤误級级團团婦妇殘残檢检係系隊队歲岁傳传動动腳脚種种嚇吓體体養养著着講讲別别樓楼車车餓饿飯饭鎖锁臉脸藥药燒烧燙烫淚泪愛爱裏里無无覺觉兇凶悶闷驚惊懷怀姦奸強强脫脱門门鬧闹塊块條条線线從从掛挂壓压單单獨独間间廁厕戀恋約约夠够飽饱餵喂頸颈勁劲進进';
const TO_SIMPLIFIED = new Map(Array.from({ length: PAIRS.length / 2 }, (_, index) => [PAIRS[index * 2]!, PAIRS[index * 2 + 1]!]));

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩';

export function normalizeText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xff10 && code <= 0xff19) out += String.fromCharCode(code - 0xff10 + 48);
    else if (CIRCLED.includes(char)) out += ` ${CIRCLED.indexOf(char) + 1} `;
    else out += TO_SIMPLIFIED.get(char) ?? char;
  }
  return out
    .replace(/([0-9])\uFE0F?\u20E3/g, ' $1 ')
    .replace(/\u{1F51F}/gu, ' 10 ')
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}
