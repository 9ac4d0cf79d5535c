import type { Engine } from '../src/store/db/providers';
import type { BenchResult } from './run';

interface Target {
  measure: string;
  figure: (result: BenchResult) => number;
  unit: string;
  /** The issue's target at 100,000 children on a 2-core machine, per engine. */
  limit: Record<Engine, number>;
  atLeast?: boolean;
}

/** The targets of issue 7. */
export const TARGETS: Target[] = [
  { measure: 'inbound throughput', figure: (r) => r.inbound.messagesPerSecond, unit: 'msg/s', limit: { sqlite: 1000, postgresql: 1000 }, atLeast: true },
  { measure: 'inbound p50', figure: (r) => r.inbound.p50Ms, unit: 'ms', limit: { sqlite: Infinity, postgresql: Infinity } },
  { measure: 'inbound p99', figure: (r) => r.inbound.p99Ms, unit: 'ms', limit: { sqlite: 20, postgresql: 30 } },
  { measure: 'fan-out wall time', figure: (r) => r.fanOut.wallMs / 1000, unit: 's', limit: { sqlite: 10, postgresql: 15 } },
  { measure: 'fan-out / raw-driver floor', figure: (r) => r.fanOut.ratioToFloor, unit: '×', limit: { sqlite: 3, postgresql: 3 } },
  { measure: 'fan-out peak RSS', figure: (r) => r.fanOut.peakRssMb, unit: 'MB', limit: { sqlite: 300, postgresql: 300 } },
  { measure: 'report filing p50', figure: (r) => r.filing.p50Ms, unit: 'ms', limit: { sqlite: Infinity, postgresql: Infinity } },
  { measure: 'report filing p99', figure: (r) => r.filing.p99Ms, unit: 'ms', limit: { sqlite: 30, postgresql: 40 } },
  { measure: 'city compliance ledger', figure: (r) => r.statistics.cityComplianceMs, unit: 'ms', limit: { sqlite: 500, postgresql: 500 } },
  { measure: 'township compliance ledger', figure: (r) => r.statistics.townshipComplianceMs, unit: 'ms', limit: { sqlite: Infinity, postgresql: Infinity } },
  { measure: '8-week contact ledger, city', figure: (r) => r.statistics.cityContact8WeeksMs, unit: 'ms', limit: { sqlite: 300, postgresql: 300 } },
  { measure: '8 weeks counted live (before the summaries)', figure: (r) => r.statistics.cityContact8WeeksLiveMs, unit: 'ms', limit: { sqlite: Infinity, postgresql: Infinity } },
  { measure: 'case ledger', figure: (r) => r.statistics.caseLedgerMs, unit: 'ms', limit: { sqlite: Infinity, postgresql: Infinity } },
  { measure: 'XLSX export wall time', figure: (r) => r.export.wallMs / 1000, unit: 's', limit: { sqlite: 20, postgresql: 20 } },
  { measure: 'XLSX export peak RSS', figure: (r) => r.export.peakRssMb, unit: 'MB', limit: { sqlite: 400, postgresql: 400 } },
];

/** The figures beside the issue's targets, as a plain-text table. */
export function formatTable(result: BenchResult): string {
  const engine = result.options.engine;
  const rows = TARGETS.map((target) => {
    const figure = target.figure(result);
    const limit = target.limit[engine];
    const targetText = limit === Infinity ? '' : `${target.atLeast ? '≥' : '≤'} ${limit} ${target.unit}`;
    const met = limit === Infinity ? '' : (target.atLeast ? figure >= limit : figure <= limit) ? 'yes' : 'MISSED';
    return [target.measure, `${Number(figure.toFixed(2))} ${target.unit}`, targetText, met];
  });
  const { inbound, fanOut, filing, seed, statistics, twoInstances, export: exported } = result;
  const lines = [
    `Shouwang benchmark: ${result.options.children} children on ${result.machine.database}, ${result.machine.cpu} × ${result.machine.cores}, Node ${result.machine.node}`,
    `seed ${(seed.wallMs / 1000).toFixed(1)} s: ${Object.entries(seed.counts).map(([name, count]) => `${count} ${name}`).join(', ')}`,
    `inbound: ${inbound.messages} 已联系 messages, ${inbound.concurrency} in flight, ${(inbound.wallMs / 1000).toFixed(2)} s; max ${inbound.maxMs} ms; ${inbound.cpuMsPerMessage} ms CPU a message; after the first fifth ${inbound.warm.messagesPerSecond} msg/s at ${inbound.warm.cpuMsPerMessage} ms CPU`,
    `fan-out: ${fanOut.rowsWritten} prompts in ${(fanOut.wallMs / 1000).toFixed(2)} s; raw-driver floor ${(fanOut.floorMs / 1000).toFixed(2)} s; RSS ${fanOut.baselineRssMb} MB before the job`,
    `filing: ${filing.reports} 报告 messages, ${filing.concurrency} at once, max ${filing.maxMs} ms; ${filing.confirmed} answers named the case`,
    `ledgers: ${statistics.rows.cityCompliance} rows (city compliance, 1 week), ${statistics.rows.townshipCompliance} (township), ${statistics.rows.cases} (cases); XLSX: ${exported.rows} children, ${(exported.bytes / 2 ** 20).toFixed(1)} MB`,
    'ok' in twoInstances
      ? `two instances: ${twoInstances.rowsWritten} prompts written for ${twoInstances.expectedRows} parents, ${twoInstances.duplicateKeys} duplicate keys, ${twoInstances.peopleWithSeveralPrompts} people prompted twice, ${twoInstances.errors.length} errors: ${twoInstances.ok ? 'ok' : 'FAILED'}`
      : `two instances: skipped (${twoInstances.note})`,
    '',
    ...table([['measure', 'figure', 'target (100,000 children)', 'met'], ...rows]),
    ...(result.failures.length > 0 ? ['', 'FAILED:', ...result.failures] : []),
  ];
  return lines.join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => width(row[column]!))));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell + ' '.repeat(widths[column]! - width(cell))).join(' | ')} |`;
  return [line(rows[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)];
}

/** Display width: CJK and full-width signs take two columns in a terminal. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return columns;
}
