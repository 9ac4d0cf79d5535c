import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseTarget } from '../../config';
import { checkAuditRange, type SeqRange } from './auditChainRead';

/** One range of `audit verify` in a worker thread: progress messages, then the range's result. */
const { target, range, batchSize } = workerData as { target: DatabaseTarget; range: SeqRange; batchSize: number };
void checkAuditRange(target, range, { batchSize, onProgress: (checked) => parentPort!.postMessage({ checked }) }).then((result) => parentPort!.postMessage({ result }));
