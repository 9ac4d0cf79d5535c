import type { RosterChild } from './children';
import { normalizeText } from './text';

/**
 * A second danger signal beside the rules: a logistic scorer over character n-grams, trained on the
 * development part of the corpus (`npm run cli -- nlu train`). The rules know the words they were
 * written for; the scorer weighs the pieces of phrasing they have not seen (抱她, 勒的印, 冇上来).
 */
export interface DangerModel {
  /** n-gram lengths read from each stretch of text. */
  orders: number[];
  bias: number;
  /** At or above this score a message is taken for danger; calibrated on the development part. */
  threshold: number;
  weights: Record<string, number>;
}

/** A child's name says nothing about danger: every form of it reads as 孩子. */
function nameForms(children: readonly Pick<RosterChild, 'name'>[]): string[] {
  const forms = new Set<string>();
  for (const { name } of children) {
    if (name.length < 2) continue;
    const given = name.slice(1);
    forms.add(name);
    if (given.length >= 2) forms.add(given);
    forms.add(`${given.at(-1)}${given.at(-1)}`);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The distinct n-grams of a (normalized) message, stretch by stretch between punctuation and spaces. */
export function dangerFeatures(text: string, children: readonly Pick<RosterChild, 'name'>[], orders: readonly number[]): string[] {
  let plain = normalizeText(text).toLowerCase().replace(/[0-9]+/g, '0');
  for (const form of nameForms(children)) plain = plain.split(form).join('孩子');
  const grams = new Set<string>();
  for (const stretch of plain.split(/[\p{P}\p{S}\s]+/u)) {
    if (!stretch) continue;
    const padded = `<${stretch}>`;
    for (const n of orders) for (let at = 0; at + n <= padded.length; at += 1) grams.add(padded.slice(at, at + n));
  }
  return [...grams];
}

export function dangerScore(model: DangerModel, text: string, children: readonly Pick<RosterChild, 'name'>[]): number {
  let sum = model.bias;
  for (const gram of dangerFeatures(text, children, model.orders)) sum += model.weights[gram] ?? 0;
  return 1 / (1 + Math.exp(-sum));
}

let trained: DangerModel | null = null;

/** The trained model, read on the first free-text message. */
export function dangerModel(): DangerModel {
  trained ??= require('./dangerModel.json') as DangerModel;
  return trained;
}

/** Whether the scorer, at its calibrated threshold, takes the message for danger. */
export function scoredAsDanger(text: string, children: readonly Pick<RosterChild, 'name'>[]): boolean {
  const model = dangerModel();
  return dangerScore(model, text, children) >= model.threshold;
}
