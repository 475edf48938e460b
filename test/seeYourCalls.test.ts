// docs/see-your-calls.md and collector/README.md give direct UI links; they must open the same
// queries the docs' code blocks hold (and the e2e tests run), so a changed query changes its link.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { callLifecycleQuery, policyRecordsQuery, vmuiGraphUrl, vmuiUrl } from './e2e/stack.ts';

const read = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

test('the documented VictoriaMetrics link graphs the documented query', () => {
  expect(read('docs/see-your-calls.md')).toContain(`\n${vmuiGraphUrl('http://127.0.0.1:8428', policyRecordsQuery(), { range: '1h' })}\n`);
});

test('the documented VictoriaLogs link opens the documented call query, which filters the call id exactly', () => {
  expect(callLifecycleQuery('call-1')).toMatch(/^call\.id:="call-1" /);
  expect(read('collector/README.md')).toContain(`\n${vmuiUrl('http://127.0.0.1:9428', callLifecycleQuery('CALL_ID'), { view: 'json', range: '24h' })}\n`);
});
