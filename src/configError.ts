/** A configuration problem the operator must fix; main() prints its message alone and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
