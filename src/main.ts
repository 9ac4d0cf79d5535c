import { loadConfig } from './config';
import { CrashRecord } from './crashRecord';
import { exitOnBugs, exitWith } from './fatal';
import { createLogger } from './log';
import { startService } from './service';

/** Composition root: configuration, then the service, then signal handling. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const crashes = CrashRecord.in(config.dataDir);
  exitOnBugs(logger, crashes);
  const service = await startService(config, logger, { crashes });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => exitWith(error),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(exitWith);
