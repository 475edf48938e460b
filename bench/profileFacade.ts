// The facade's drop path alone, for profiling (not part of `npm run bench`):
//   node --cpu-prof --cpu-prof-dir=DIR bench/profileFacade.ts ['[RMS] rms=0.12']
// then node bench/profileSummary.ts DIR/*.cpuprofile. Prints ns per record for five rounds.
import { startCall } from '../src/api/callScope.ts';
import { getLogger } from '../src/api/getLogger.ts';
import { PRODUCTION, pipeline, useGlobally } from './pipelines.ts';

const body = process.argv[2] ?? '[RMS] rms=0.12';
const records = 2_000_000;
const policy = pipeline(PRODUCTION);
useGlobally(policy.provider);
const call = startCall('profile-call');
const logger = getLogger('server.session', { provider: policy.provider });
for (let round = 0; round < 5; round++) {
  const started = process.hrtime.bigint();
  call.run(() => {
    for (let i = 0; i < records; i++) logger.info(body, { i });
  });
  console.log(`${(Number(process.hrtime.bigint() - started) / records).toFixed(1)} ns per record`);
}
console.log(JSON.stringify(policy.policy!.stats().droppedByReason));
