import { loadConfig } from './config';
import { CrashRecord } from './crashRecord';
import { exitOnBugs, exitWith } from './fatal';
import { createLogger } from './log';
import { startService } from './service';

const STOP_MARGIN_MS = 10_000;

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
    // Work left after the grace is handed back, which needs the database; one that does not answer must not keep the process.
    setTimeout(() => {
      logger.error({ signal }, 'could not stop in time');
      process.exit(1);
    }, config.stopTimeoutMs + STOP_MARGIN_MS).unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => exitWith(error),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(exitWith);
