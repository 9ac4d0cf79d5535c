import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { localDate } from '../../domain/schoolCalendar';
import { dangerIn } from '../../chat/understanding/danger';
import { calibrate, heldOutScores, trainDangerModel, type DangerExample } from '../../chat/understanding/dangerTraining';
import { evaluate, pct, type LabelledMessage } from '../../chat/understanding/evaluation';
import { isUrgent, type Understanding } from '../../chat/understanding/intents';
import { normalizeText } from '../../chat/understanding/text';
import { understand } from '../../chat/understanding/understand';
import { parseOptions, UsageError, type CliContext } from '../context';

const DEFAULT_CORPUS = 'tests/corpus/understanding/test.jsonl';
const DEVELOPMENT_CORPUS = 'tests/corpus/understanding/dev.jsonl';
const DANGER_MODEL = 'src/chat/understanding/dangerModel.json';
const ROLES = ['parent', 'guardian', 'teacher', 'director'] as const;

const labelledLine = z.object({
  role: z.enum(ROLES),
  text: z.string(),
  intent: z.string(),
  slots: z.record(z.string(), z.unknown()),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  children: z.array(z.object({ name: z.string(), birthDate: z.string().nullable().optional(), sex: z.enum(['F', 'M']).nullable().optional() })),
  parents: z.array(z.object({ name: z.string(), relation: z.enum(['father', 'mother']) })).optional(),
});

const trainOptionsSchema = z.object({
  out: z.string().min(1).default(DANGER_MODEL),
  maxFalseUrgent: z.coerce.number().min(0).max(0.2).default(0.01),
  folds: z.coerce.number().int().min(2).max(20).default(5),
});

const parseLine = z.object({ role: z.enum(ROLES), text: z.string().max(4000) });

const parseOptionsSchema = z.object({
  file: z.string().min(1),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is YYYY-MM-DD').optional(),
  children: z.string().optional(),
  casePrefix: z.string().regex(/^[A-Z]{2,4}$/, 'is 2 to 4 capital letters').default('SW'),
});

function linesOf(file: string): string[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function registerNluCommands(program: Command, context: CliContext): void {
  const nlu = program.command('nlu').description('the understanding step: how free text is read into intents and slots');

  nlu
    .command('train')
    .description('trains the danger scorer on the development part and calibrates its threshold on held-out scores')
    .argument('[file]', 'labelled JSONL of the development part', DEVELOPMENT_CORPUS)
    .option('--out <model.json>', 'where the model is written', DANGER_MODEL)
    .option('--max-false-urgent <rate>', 'false-urgent budget of rules or scorer on held-out lines', '0.01')
    .option('--folds <k>', 'folds of the held-out scoring', '5')
    .action((file: string, raw: unknown) => {
      const options = parseOptions(trainOptionsSchema, raw);
      const examples = labelledLines(file).map(
        (message): DangerExample => ({
          text: message.text,
          children: message.children,
          urgent: isUrgent({ intent: message.intent, slots: message.slots } as Understanding),
          byRules: dangerIn(normalizeText(message.text)) !== null,
        }),
      );
      const calibration = calibrate(examples, heldOutScores(examples, options.folds), options.maxFalseUrgent);
      const model = { ...trainDangerModel(examples), threshold: Math.round(calibration.threshold * 10000) / 10000 };
      writeFileSync(options.out, `${JSON.stringify(model)}\n`);
      context.print(`${examples.length} lines of ${file}, ${examples.filter((example) => example.urgent).length} urgent; ${Object.keys(model.weights).length} n-grams`);
      context.print(`rules alone (written on these lines): ${pct(calibration.rulesRecall)} recall, ${pct(calibration.rulesFalseUrgent)} false-urgent`);
      context.print(`rules or scorer ≥ ${model.threshold}, scored held out (${options.folds} folds): ${pct(calibration.recall)} recall, ${pct(calibration.falseUrgent)} false-urgent`);
      context.print(`written to ${options.out}`);
    });

  nlu
    .command('eval')
    .description('scores a labelled corpus (JSONL); exits 1 under the floors of issue 13')
    .argument('[file]', 'labelled JSONL', DEFAULT_CORPUS)
    .action((file: string) => {
      const result = evaluate(labelledLines(file));
      context.print(`${result.lines} lines of ${file}`);
      context.print(`intent accuracy  ${pct(result.intentAccuracy)}`);
      context.print(`urgent recall    ${pct(result.urgentRecall)} of ${result.urgentSupport}`);
      context.print(`false-urgent     ${pct(result.falseUrgent)}`);
      for (const name of ['child', 'date', 'minutes'] as const) context.print(`${`${name} slot`.padEnd(17)}${pct(result.slots[name].accuracy)} of ${result.slots[name].support}`);
      context.print('\nrole      intent                  precision  recall  support');
      for (const entry of result.perIntent) {
        context.print(`${entry.role.padEnd(10)}${entry.intent.padEnd(24)}${pct(entry.precision).padStart(9)}${pct(entry.recall).padStart(8)}${String(entry.support).padStart(9)}`);
      }
      if (result.failures.length > 0) {
        process.stderr.write(`under the floors: ${result.failures.join('; ')}\n`);
        process.exitCode = 1;
      }
    });

  nlu
    .command('parse')
    .description('one JSON line on stdout per input line {"role","text"}: {"intent","slots","confidence"}')
    .requiredOption('--file <in.jsonl>', 'one {"role": "...", "text": "..."} a line')
    .option('--today <YYYY-MM-DD>', 'the reference date (default: today in Asia/Shanghai)')
    .option('--children <names>', 'the roster of the sender’s village, comma-separated')
    .option('--case-prefix <prefix>', 'the prefix short case numbers expand with', 'SW')
    .action((raw: unknown) => {
      const options = parseOptions(parseOptionsSchema, raw);
      const today = options.today ?? localDate(new Date(), 'Asia/Shanghai');
      const children = (options.children ?? '').split(/[,，]/).map((name) => name.trim()).filter(Boolean).map((name) => ({ name }));
      const out: string[] = [];
      for (const line of linesOf(options.file)) {
        const parsed = parseLine.safeParse(safeJson(line));
        if (!parsed.success) {
          out.push(JSON.stringify({ intent: 'other', slots: {}, confidence: 0, error: 'not a JSON object with role and text' }));
          continue;
        }
        const { intent, slots, confidence } = understand(parsed.data.text, { role: parsed.data.role, today, children, casePrefix: options.casePrefix });
        out.push(JSON.stringify({ intent, slots, confidence }));
      }
      process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
    });
}

function labelledLines(file: string): LabelledMessage[] {
  return linesOf(file).map((line, index): LabelledMessage => {
    const parsed = labelledLine.safeParse(safeJson(line));
    if (!parsed.success) throw new UsageError(`${file}:${index + 1}: not a labelled line (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return parsed.data;
  });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
