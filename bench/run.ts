// `npm run bench`: every benchmark, each reported as a ratio to a baseline measured in the same run.
// Not part of `npm test`: timings on shared machines are for reading, not asserting.
import { benchCliStartup } from './cli-startup.js';
import { benchBatchMemory, benchEvidenceThroughput, benchLlmBatch } from './grading.js';
import { benchInterviewer } from './interviewer.js';
import { benchListening } from './interviewer-listening.js';
import { benchProviderLatency } from './provider-latency.js';
import { benchPracticeRender } from './practice-render.js';
import { benchSessionsList } from './sessions-list.js';
import { benchPackageSize } from './package-size.js';
import { benchBatchApiRoundTrip, benchJobs } from './grade-scale.js';
import { benchLocalFirstToken } from './local-model.js';

const json = process.argv.includes('--json');
const results: Record<string, unknown> = {};

const startup = benchCliStartup();
results.cliStartup = startup;
if (!json) for (const line of startup.lines) console.log(line);

// The evidence grader first, in a clean heap: after the interviewer benchmarks the same code
// measured 20–30 % slower (their sessions stay alive and every collection walks them).
const evidence = await benchEvidenceThroughput();
results.evidenceThroughput = evidence;
if (!json) console.log(evidence.line);

const latency = await benchProviderLatency();
results.providerLatency = latency;
if (!json) for (const line of latency.lines) console.log(line);

const interviewer = await benchInterviewer();
results.interviewer = interviewer;
if (!json) console.log(interviewer.line);

const listening = await benchListening();
results.interviewerListening = listening;
if (!json) console.log(listening.line);

const llm = await benchLlmBatch();
results.llmBatch = llm;
if (!json) console.log(llm.line);

const memory = await benchBatchMemory();
results.batchMemory = memory;
if (!json) console.log(memory.line);

const practice = await benchPracticeRender();
results.practiceRender = practice;
if (!json) console.log(practice.line);

const sessionsList = await benchSessionsList();
results.sessionsList = sessionsList;
if (!json) for (const line of sessionsList.lines) console.log(line);

const local = await benchLocalFirstToken();
results.localFirstToken = local;
if (!json) console.log(local.line);

const jobs = await benchJobs();
results.gradeJobs = jobs;
if (!json) console.log(jobs.line);

const batchApi = await benchBatchApiRoundTrip();
results.batchApiRoundTrip = batchApi;
if (!json) console.log(batchApi.line);

const packageSize = await benchPackageSize();
results.packageSize = packageSize;
if (!json) console.log(packageSize.line);

if (json) console.log(JSON.stringify(results, null, 2));
