import os from 'node:os';

/** What a figure must be: at most, at least, or within [min, max]. */
export type Goal = { at: 'most'; value: number } | { at: 'least'; value: number } | { at: 'within'; min: number; max: number } | { at: 'none' };

/** One line of the table; `detail` keeps the raw numbers for latest.json. */
export interface Row {
  id: string;
  case: string;
  ours: string;
  peer: string;
  /** The figure the goal is about (a ratio, a factor, a count, bytes). */
  value: number;
  result: string;
  goal: string;
  met: boolean;
  detail: Record<string, unknown>;
}

export function goalText(goal: Goal, unit = ''): string {
  if (goal.at === 'most') return `<= ${goal.value}${unit}`;
  if (goal.at === 'least') return `>= ${goal.value}${unit}`;
  if (goal.at === 'none') return '— (reported)';
  return `${goal.min}–${goal.max}${unit}`;
}

export function meets(value: number, goal: Goal): boolean {
  if (goal.at === 'most') return value <= goal.value;
  if (goal.at === 'least') return value >= goal.value;
  if (goal.at === 'none') return true;
  return value >= goal.min && value <= goal.max;
}

/** A row whose value is checked against its goal; `unit` is appended to both. */
export function row(fields: Omit<Row, 'met' | 'goal' | 'result'> & { goal: Goal; unit?: string; result?: string; goalText?: string }): Row {
  const { goal, unit = '', result, goalText: text, ...rest } = fields;
  return { ...rest, result: result ?? `${fmt(fields.value)}${unit}`, goal: text ?? goalText(goal, unit), met: meets(fields.value, goal) };
}

/** Three significant digits, no exponent. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function bytes(n: number): string {
  if (Math.abs(n) < 1024) return `${fmt(n)} B`;
  if (Math.abs(n) < 1024 * 1024) return `${fmt(n / 1024)} KiB`;
  return `${fmt(n / 1024 / 1024)} MiB`;
}

export interface Environment {
  date: string;
  node: string;
  os: string;
  cpu: string;
  cores: number;
  loadavg: number[];
  quick: boolean;
}

export function environment(quick: boolean): Environment {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    loadavg: os.loadavg().map((n) => Number(n.toFixed(2))),
    quick,
  };
}

/** The table as GitHub markdown: the console shows the same text BENCHMARKS.md embeds. */
export function markdownTable(rows: readonly Row[]): string {
  const head = ['case', 'ours', 'peer', 'result', 'goal', 'met'];
  const lines = rows.map((r) => [r.case, r.ours, r.peer, r.result, r.goal, r.met ? 'yes' : '**no**']);
  const all = [head, ...lines];
  const widths = head.map((_, i) => Math.max(...all.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
}

export function environmentLine(env: Environment): string {
  return `${env.date.slice(0, 10)} · Node ${env.node} · ${env.cpu} × ${env.cores} · ${env.os} · load ${env.loadavg.join(' ')}${env.quick ? ' · --quick' : ''}`;
}

/** A heap row: `heapBytes` against at most `limit` bytes, shown in KiB/MiB. */
export function heapRow(fields: { id: string; case: string; heapBytes: number; limit: number; goalText: string; detail: Record<string, unknown> }): Row {
  const { heapBytes, limit, ...rest } = fields;
  return row({ ...rest, ours: bytes(heapBytes), peer: '—', value: heapBytes, result: bytes(heapBytes), goal: { at: 'most', value: limit } });
}
