import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Redactor } from '../../src/pipeline/redact/Redactor.ts';

const corpus = (name: string) =>
  readFileSync(new URL(`./corpus/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));

/** A small seeded generator, so the generated clean lines are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clean call-log lines full of the numbers that look most like phones and cards: ids, byte counts, timestamps, metrics. */
function generatedCleanLines(n: number): string[] {
  const r = random(42);
  const int = (max: number) => Math.floor(r() * max);
  const hex = (len: number) => Array.from({ length: len }, () => '0123456789abcdef'[int(16)]).join('');
  const digits = (len: number) => String(1 + int(9)) + Array.from({ length: len - 1 }, () => int(10)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const templates = [
    () => `[CALL_START] call CA${hex(32)} started at ${new Date(1.7e12 + int(1e10)).toISOString()}`,
    () => `[CALL_END] call ${uuid()} ended after ${int(600_000)}ms produced=${int(5000)} dropped=${int(5000)}`,
    () => `[TX_SLOW] queue=${int(500)} lag_ms=${int(5000)} seq=${digits(6)}`,
    () => `[AUDIO_DELTA] ${int(4800)} bytes ts=${1.7e12 + int(1e10)} seq=${digits(7)}`,
    () => `[RMS] rms=${(r() * 3000).toFixed(2)} peak=${r().toFixed(4)} samples=${[8000, 16000, 24000, 48000][int(4)]}`,
    () => `sent ${digits(10)} bytes in ${int(100_000)} frames`,
    () => `memory rss=${digits(9)} heapUsed=${digits(8)} external=${digits(7)}`,
    () => `trace_id=${hex(32)} span_id=${hex(16)} parent=${hex(16)}`,
    () => `GET /calls/${uuid()} 200 ${(r() * 100).toFixed(3)}ms remote=10.${int(256)}.${int(256)}.${int(256)}:${1024 + int(60000)}`,
    () => `epoch=17${digits(8)} epoch_ms=17${digits(11)} nanos=17${digits(17)}`,
    () => `order ${digits(10)} account ${digits(8)} invoice ${digits(12)}`,
    // 16-digit ids: the one shape a card number shares (about 1 in 40 random ones passes prefix + Luhn).
    () => `payment ref ${digits(16)} settled`,
    () => `latency p50=${int(500)}ms p99=${int(5000)}ms n=${digits(5)} at ${new Date(1.7e12 + int(1e10)).toISOString()}`,
    () => `version ${int(30)}.${int(30)}.${int(300)} build ${digits(8)}.${digits(4)} commit ${hex(40)}`,
    // Twilio media frames: 160 random bytes of base64 mu-law, where `+` can sit before digits.
    () =>
      `{"event":"media","sequenceNumber":"${int(1e5)}","media":{"track":"inbound","chunk":"${int(1e5)}","timestamp":"${int(1e7)}","payload":"${Buffer.from(Array.from({ length: 160 }, () => int(256))).toString('base64')}"}}`,
    // Twilio status callbacks, form-encoded, with no caller fields.
    () =>
      `POST /twilio/status CallSid=CA${hex(32)}&AccountSid=AC${hex(32)}&CallStatus=completed&CallDuration=${int(3600)}&Timestamp=${encodeURIComponent(new Date(1.7e12 + int(1e10)).toUTCString())}&SequenceNumber=${int(10)}`,
    () => `jitter ${int(200)}ms lost ${int(100)} of ${digits(5)} (${(r() * 5).toFixed(2)}%) window ${int(1000)}-${int(10000)} retries ${int(10)}-${int(100)}`,
  ];
  return Array.from({ length: n }, () => templates[int(templates.length)]!());
}

const SPAN = /«(\w+):([^»]+)»/g;

describe('redaction corpus', () => {
  test('every sensitive span in the positives is redacted with its kind (0 false negatives)', () => {
    const lines = corpus('positives.txt');
    const misses: string[] = [];
    let spans = 0;
    for (const line of lines) {
      const input = line.replace(SPAN, '$2');
      const output = new Redactor().text(input);
      for (const [, kind, text] of line.matchAll(SPAN)) {
        spans++;
        if (output.includes(text!) || !output.includes(`[REDACTED:${kind}]`)) misses.push(`${kind}: ${text} → ${output}`);
      }
      // The line's other text survives: redaction replaces the spans, not the line.
      expect(output).toBe(line.replace(SPAN, (_, kind: string) => `[REDACTED:${kind}]`));
    }
    console.info(`redaction positives: ${spans} sensitive spans in ${lines.length} lines, ${misses.length} false negatives`);
    expect(misses).toEqual([]);
    expect(spans).toBeGreaterThanOrEqual(40);
  });

  test('clean call logs come out unchanged: 0 of the written lines, under 0.5% of the generated ones (false positives counted)', () => {
    const written = corpus('clean.txt');
    const generated = generatedCleanLines(20_000);
    const redactor = new Redactor();
    const changed = (lines: string[]) => lines.filter((line) => redactor.text(line) !== line);
    const writtenFp = changed(written);
    const generatedFp = changed(generated);
    const rate = (writtenFp.length + generatedFp.length) / (written.length + generated.length);
    console.info(
      `redaction false positives: ${writtenFp.length}/${written.length} written clean lines, ` +
        `${generatedFp.length}/${generated.length} generated clean lines (${(rate * 100).toFixed(3)}%)`,
      generatedFp.slice(0, 5).map((line) => `${line} → ${redactor.text(line)}`),
    );
    expect(writtenFp).toEqual([]);
    // Today 32 of 20,000 (0.16%), all 16-digit references that pass a card's prefix and Luhn check.
    expect(generatedFp.length / generated.length).toBeLessThan(0.005);
  });
});
