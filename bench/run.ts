// `npm run bench`: every benchmark, each reported as a ratio to a baseline measured in the same run.
// Not part of `npm test`: timings on shared machines are for reading, not asserting.
import { benchCliStartup } from './cli-startup.js';
import { benchProviderLatency } from './provider-latency.js';

const json = process.argv.includes('--json');
const results: Record<string, unknown> = {};

const startup = benchCliStartup();
results.cliStartup = startup;
if (!json) console.log(startup.line);

const latency = await benchProviderLatency();
results.providerLatency = latency;
if (!json) for (const line of latency.lines) console.log(line);

if (json) console.log(JSON.stringify(results, null, 2));
