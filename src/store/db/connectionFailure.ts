/** One sentence on why PostgreSQL could not be reached, naming the server but never the password. */
export function describeConnectionFailure(url: string, error: unknown): string {
  const where = serverOf(url);
  const code = (error as { code?: string }).code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name does not resolve'
        : code === '3D000'
          ? 'the database does not exist'
          : code === '28P01' || code === '28000'
            ? 'the user or password was rejected'
            : ((error as Error).message ?? String(error)).split('\n')[0];
  return `Cannot reach PostgreSQL at ${where}: ${reason}.`;
}

function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
