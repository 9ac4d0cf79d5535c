/**
 * Seeded inputs for the fuzz tests: a run prints its seed, and SHOUWANG_FUZZ_SEED=<seed> replays
 * it exactly. SHOUWANG_FUZZ_SCALE multiplies the number of inputs (a longer run: 10).
 */
export const FUZZ_SEED = Number(process.env.SHOUWANG_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
export const FUZZ_SCALE = Math.max(1, Number(process.env.SHOUWANG_FUZZ_SCALE ?? 1));

/** mulberry32: small, fast and good enough to pick inputs. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Text of one of many kinds: CJK, emoji, control characters, lone surrogates, very long, digits … */
  text(): string {
    const kind = this.int(9);
    const length = this.pick([0, 1, 2, 5, 20, 100]);
    const from = (alphabet: string | string[]) => Array.from({ length }, () => this.pick(typeof alphabet === 'string' ? [...alphabet] : alphabet)).join('');
    switch (kind) {
      case 0:
        return from('张王李小明红报告联系正常关注已我的数据绑定群取消帮助，。！？ 　');
      case 1:
        return from(['😀', '👨‍👩‍👧', '🏳️‍🌈', '\u200d', '\ufe0f', '𠀀', '\u0301', 'é']);
      case 2:
        return from(Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).concat(['\u007f', '\u2028', '\u2029', '\ufeff', '\u202e']));
      case 3:
        return from(['\ud800', '\udfff', '\ud83d', 'a']);
      case 4:
        return 'x'.repeat(this.pick([3999, 4000, 4001, 20_000, 100_000]));
      case 5:
        return from('0123456789-+.eE ');
      case 6:
        return from(['%', '\\', '"', "'", '<script>', '${', '{{', '../', '\0', 'NULL', ';DROP TABLE "Child";--']);
      case 7:
        return Array.from({ length }, () => String.fromCodePoint(this.int(0x10ffff + 1))).join('').replace(/[\ud800-\udfff]/g, '?');
      default:
        return from('abcdefghijklmnopqrstuvwxyz ABC');
    }
  }

  /** A JSON value of any type, sometimes huge or deep. */
  value(depth = 0): unknown {
    switch (this.int(depth > 2 ? 7 : 10)) {
      case 0:
        return null;
      case 1:
        return this.next() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, 1e-308, Number.MAX_SAFE_INTEGER]);
      case 3:
        return this.int(1000);
      case 4:
      case 5:
        return this.text();
      case 6:
        return this.pick(['2026-11-30', '2026-02-30', '9999-12-31T23:59:59Z', 'left_behind', 'parent', 'refer', '880101001001', 'TV-2026-000001']);
      case 7:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.pick(['name', 'id', 'role', 'areaCode', '__proto__', 'constructor', this.text()]), this.value(depth + 1)]));
    }
  }
}
