import { z } from 'zod';
import { assessmentRoundOf, roundLabel } from '../../domain/assessmentRound';
import { countUnassessed, recordAssessment, recordAssessmentReport } from '../../store/cases/assessments';
import type { RiskLevel } from '../../store/db/database';
import { catalog } from '../../texts/catalog';
import { fileReport } from '../../usecases/fileReport';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildByName } from '../villageChild';
import { RISK_LEVEL_LABELS } from '../../domain/labels';

/** The level words a director may use; the longer forms are what people also type. */
export const RISK_LEVEL_WORDS: Record<string, RiskLevel> = {
  低: 'low',
  中: 'medium',
  高: 'high',
  低风险: 'low',
  中风险: 'medium',
  高风险: 'high',
};

const assessmentArgs = z.object({
  child: z.string().min(1).max(30),
  level: z.string().transform((word, context) => {
    const level = RISK_LEVEL_WORDS[word];
    if (!level) context.addIssue({ code: 'custom', message: 'unknown level' });
    return level ?? z.NEVER;
  }),
  note: z.string().max(500).nullable(),
});

/**
 * 评估 <孩子> 低/中/高 [说明]: a director's risk assessment of a child of their village, for the
 * round the day falls in (March–August: the March round, September–February: the September round).
 * Assessing again in the same round replaces the assessment. 高 files a high-severity report with
 * the director as reporter, unless this round's assessment was already 高 (a correction of the
 * note files nothing twice).
 */
export const assessmentCommand: ChatCommand = {
  keywords: ['评估'],
  roles: ['director'],
  async handle(turn, args) {
    const { tx, sender, now, settings } = turn as BoundTurn;
    const [child, level, ...rest] = args.split(' ').filter(Boolean);
    const parsed = assessmentArgs.safeParse({ child, level, note: rest.length ? rest.join(' ') : null });
    if (!parsed.success) return turn.reply(catalog.assessmentUsage);
    const found = await villageChildByName(tx, sender.person.areaId, parsed.data.child);
    if ('reply' in found) return turn.reply(found.reply);

    const round = assessmentRoundOf(now, settings.timeZone);
    const label = roundLabel(round);
    const recorded = await recordAssessment(tx, {
      childId: found.child.id,
      assessorId: sender.person.id,
      round: round.key,
      level: parsed.data.level,
      note: parsed.data.note,
      now,
    });
    const remaining = await countUnassessed(tx, sender.person.areaId, round.key);
    const lines = [catalog.assessmentRecorded(found.child.name, label, RISK_LEVEL_LABELS[parsed.data.level], remaining)];
    if (parsed.data.level === 'high' && recorded.previousInRound !== 'high') {
      const report = await fileReport(
        tx,
        {
          child: found.child,
          type: 'other',
          severity: 'high',
          description: catalog.assessmentHighDescription(found.child.name, label, parsed.data.note),
          source: 'director',
          reporter: sender.person,
        },
        { now, timeZone: settings.timeZone, deadlines: settings.caseDeadlines, inboxMessageId: turn.message.id },
      );
      await recordAssessmentReport(tx, recorded.id, sender.person.id, report, now);
      lines.push(catalog.assessmentHighFiled(report.number));
    }
    return turn.reply(lines.join('\n'));
  },
};
