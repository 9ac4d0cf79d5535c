import { parentPort, workerData } from 'node:worker_threads';
import type { SealingAnswer, SealingRequest } from './sealingThread';
import { TextKeyring } from './textKeyring';

// The worker side of sealingThread.ts: the same keyring, sealing what the service's thread sends.
const keyring = new TextKeyring((workerData as { keys: Uint8Array[] }).keys.map((key) => Buffer.from(key)));

parentPort!.on('message', ({ id, json, values }: SealingRequest) => {
  let answer: SealingAnswer;
  try {
    answer = { id, sealed: json ? keyring.sealJsonAll(values) : keyring.sealAll(values as string[]) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(answer);
});
