/** A worker thread's share of a large validate run: the same checks, another core. */
import { parentPort, workerData } from 'node:worker_threads';
import { checkJobs, type TaskJob } from './validate-run.js';

const results = await checkJobs(workerData as TaskJob[]);
parentPort!.postMessage(results);
