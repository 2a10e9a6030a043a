/** A worker thread of a validate run: the checks of its share of the tasks, telling the runner each document it starts. */
import { parentPort, workerData } from 'node:worker_threads';
import { checkJobs, type TaskJob, type WorkerMessage } from './runner.js';

const jobs = workerData as TaskJob[];
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
// One job at a time, each posted as soon as it is done: a later document over budget loses none of them.
for (const [j, job] of jobs.entries()) {
  const [findings] = await checkJobs([job], (_, doc) => post({ job: j, doc }));
  post({ job: j, findings: findings! });
}
