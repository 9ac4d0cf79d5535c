import { dangerFeatures, dangerScore, type DangerModel } from './dangerModel';
import type { RosterChild } from './children';

/** One development line as the danger scorer learns from it. */
export interface DangerExample {
  text: string;
  children: readonly Pick<RosterChild, 'name'>[];
  urgent: boolean;
  /** Whether the rules alone already take it for danger. */
  byRules: boolean;
}

export interface TrainingOptions {
  orders: number[];
  epochs: number;
  rate: number;
  l2: number;
  /** A missed danger costs more than a false alarm: urgent lines weigh this much more. */
  urgentWeight: number;
  /** n-grams seen in fewer lines are dropped. */
  minLines: number;
}

/** Chosen by held-out recall at 1–2% false-urgent on the development part (BENCHMARKS.md). */
export const DEFAULT_TRAINING: TrainingOptions = { orders: [1, 2, 3, 4], epochs: 40, rate: 0.2, l2: 0.002, urgentWeight: 2, minLines: 1 };

/** A seeded shuffle, so that the same lines always give the same model. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Logistic regression by stochastic gradient descent over the lines' distinct n-grams. */
export function trainDangerModel(examples: readonly DangerExample[], options: TrainingOptions = DEFAULT_TRAINING): DangerModel {
  const featured = examples.map((example) => ({ grams: dangerFeatures(example.text, example.children, options.orders), urgent: example.urgent }));
  const lines = new Map<string, number>();
  for (const { grams } of featured) for (const gram of grams) lines.set(gram, (lines.get(gram) ?? 0) + 1);
  const kept = (gram: string) => (lines.get(gram) ?? 0) >= options.minLines;
  const weights = new Map<string, number>();
  let bias = 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    const rate = options.rate / (1 + epoch * 0.1);
    for (const { grams, urgent } of shuffled(featured, epoch + 1)) {
      const present = grams.filter(kept);
      const z = bias + present.reduce((sum, gram) => sum + (weights.get(gram) ?? 0), 0);
      const p = 1 / (1 + Math.exp(-z));
      const gradient = (p - (urgent ? 1 : 0)) * (urgent ? options.urgentWeight : 1);
      bias -= rate * gradient;
      for (const gram of present) {
        const w = weights.get(gram) ?? 0;
        weights.set(gram, w - rate * (gradient + options.l2 * w));
      }
    }
  }
  const rounded: Record<string, number> = {};
  for (const [gram, w] of [...weights.entries()].sort(([a], [b]) => a.localeCompare(b))) if (Math.abs(w) >= 0.001) rounded[gram] = Math.round(w * 10000) / 10000;
  return { orders: options.orders, bias: Math.round(bias * 10000) / 10000, threshold: 0.5, weights: rounded };
}

/** Each line scored by a model trained without it (k folds): how the scorer does on unseen lines. */
export function heldOutScores(examples: readonly DangerExample[], folds = 5, options: TrainingOptions = DEFAULT_TRAINING): number[] {
  const scores = new Array<number>(examples.length).fill(0);
  for (let fold = 0; fold < folds; fold += 1) {
    const model = trainDangerModel(examples.filter((_, index) => index % folds !== fold), options);
    examples.forEach((example, index) => {
      if (index % folds === fold) scores[index] = dangerScore(model, example.text, example.children);
    });
  }
  return scores;
}

export interface Calibration {
  threshold: number;
  /** Rules or scorer, on held-out scores. */
  recall: number;
  falseUrgent: number;
  rulesRecall: number;
  rulesFalseUrgent: number;
}

/**
 * The lowest threshold at which rules-or-scorer keeps the false-urgent rate within the budget on
 * held-out scores: as much recall as the budget allows.
 */
export function calibrate(examples: readonly DangerExample[], scores: readonly number[], maxFalseUrgent: number): Calibration {
  const urgent = examples.filter((example) => example.urgent).length;
  const calm = examples.length - urgent;
  const measure = (threshold: number) => {
    let hit = 0;
    let alarms = 0;
    examples.forEach((example, index) => {
      const flagged = example.byRules || scores[index]! >= threshold;
      if (flagged && example.urgent) hit += 1;
      if (flagged && !example.urgent) alarms += 1;
    });
    return { recall: urgent ? hit / urgent : 1, falseUrgent: calm ? alarms / calm : 0 };
  };
  const rules = measure(Infinity);
  let best = { threshold: 1, ...measure(1) };
  for (const threshold of [...new Set(scores)].sort((a, b) => b - a)) {
    const result = measure(threshold);
    if (result.falseUrgent > maxFalseUrgent) break;
    best = { threshold, ...result };
  }
  return { ...best, rulesRecall: rules.recall, rulesFalseUrgent: rules.falseUrgent };
}
