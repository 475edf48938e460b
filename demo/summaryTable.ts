import type { PolicyConfig, PolicyStats } from '../src/index.ts';
import { DROP_REASONS } from '../src/policy/verdict.ts';
import { modeLine } from '../src/cli/describe.ts';
import { NO_CALL, type CountingExporter } from './countingExporter.ts';

export interface SummaryInput {
  config: PolicyConfig;
  /** Per call: how many records its script produced through the API. */
  calls: ReadonlyArray<{ id: string; produced: number }>;
  /** Records produced outside any call (BOOT). */
  outsideProduced: number;
  counts: CountingExporter;
  stats: PolicyStats;
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!))).join('  ');
}

function pairs(counts: Record<string, number>, limit: number): string {
  const entries = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const shown = entries.slice(0, limit).map(([name, n]) => `${name} ${n}`);
  if (entries.length > limit) shown.push(`… ${entries.length - limit} more`);
  return shown.length > 0 ? shown.join(' · ') : 'none';
}

/**
 * The end-of-run table: per call, records produced (log calls made), built (reached the policy:
 * disabled levels are no-op methods and are never built) and exported; then the drops by reason
 * and by key, under the mode and why.
 */
export function summaryTable(input: SummaryInput): string[] {
  const { config, counts, stats } = input;
  const widths = [10, 10, 8, 9, 8];
  const lines = [`Policy: ${modeLine(config)}`, '', row(['call', 'produced', 'built', 'exported', 'kept'], widths)];
  const total = { produced: input.outsideProduced, built: 0, exported: 0 };
  const kept = (exported: number, produced: number) => (produced === 0 ? '-' : `${((100 * exported) / produced).toFixed(produced >= 1000 ? 2 : 1)}%`);
  for (const call of input.calls) {
    const tally = counts.byCall.get(call.id);
    const built = Number(tally?.summary?.['log.produced_count'] ?? 0);
    const exported = tally?.exported ?? 0;
    total.produced += call.produced;
    total.built += built;
    total.exported += exported;
    lines.push(row([call.id, call.produced, built, exported, kept(exported, call.produced)], widths));
  }
  const outsideExported = counts.byCall.get(NO_CALL)?.exported ?? 0;
  const outsideBuilt = Math.max(0, stats.seen - total.built);
  total.built += outsideBuilt;
  total.exported += outsideExported;
  if (input.outsideProduced > 0 || outsideExported > 0) {
    lines.push(row([NO_CALL, input.outsideProduced, outsideBuilt, outsideExported, kept(outsideExported, input.outsideProduced)], widths));
  }
  lines.push(row(['total', total.produced, total.built, total.exported, kept(total.exported, total.produced)], widths));
  lines.push(
    '',
    `dropped by reason: ${DROP_REASONS.map((reason) => `${reason} ${stats.droppedByReason[reason]}`).join(' · ')}`,
    `dropped by key:    ${pairs(stats.droppedByKey, 12)}`,
    `repeated errors sent once per ${Math.round(config.errorRepeatMs / 1000)}s as WARN with a count: ${stats.downgraded}`,
    'produced = log calls made; built = records that reached the policy (levels below the threshold are no-op methods, never built); exported = passed the policy and were accepted by the exporter',
  );
  if (stats.recorder !== undefined) {
    const r = stats.recorder;
    lines.push(
      `flight recorder (last ${config.recorder} per call): ${r.recorded} kept · ${r.flushed} flushed before errors (log.recorded=true) · ` +
        `${r.discarded} discarded with clean calls · ${r.evicted} pushed out by the caps`,
    );
  }
  if (counts.failed > 0) lines.push(`export FAILED for ${counts.failed} records (is the collector reachable?)`);
  if (config.mode === 'production') lines.push('Run with DEBUG=0 to see development mode.');
  return lines;
}
