// A process with the service's bug handler that then leaves a promise rejection unhandled.
import { CrashRecord } from '../../src/crashRecord';
import { exitOnBugs } from '../../src/fatal';
import { createLogger } from '../../src/log';

exitOnBugs(createLogger('info'), new CrashRecord(process.argv[2]!));
void Promise.reject(new TypeError('a bug'));
setTimeout(() => process.stdout.write('still running\n'), 5000);
