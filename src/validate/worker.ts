/**
 * A worker thread of a validate run: checks the jobs it is handed, one at a time, posting each job's findings as
 * soon as it is done (a later document over budget loses none of them). Where it is — job, document — is written
 * to the shared progress array rather than posted: the runner reads it for the deadline.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkJobs, PROGRESS, type WorkerJob, type WorkerResult } from './runner.js';

const progress = new Int32Array((workerData as { progress: SharedArrayBuffer }).progress);
const queue: WorkerJob[] = [];
let busy = false;

async function drain(): Promise<void> {
  busy = true;
  for (let m = queue.shift(); m; m = queue.shift()) {
    const { job, task } = m;
    const [findings] = await checkJobs([task], (_, doc) => {
      Atomics.store(progress, PROGRESS.job, job);
      Atomics.store(progress, PROGRESS.doc, doc);
      Atomics.add(progress, PROGRESS.seq, 1);
    });
    Atomics.store(progress, PROGRESS.job, -1);
    parentPort!.postMessage({ job, findings: findings! } satisfies WorkerResult);
  }
  busy = false;
}

parentPort!.on('message', (m: WorkerJob) => {
  queue.push(m);
  if (!busy) void drain();
});
