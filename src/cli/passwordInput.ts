import { createInterface } from 'node:readline';
import { UsageError } from './context';

/** The first line of piped standard input: `echo "$PW" | npm run cli -- user create …` keeps it out of argv and shell history. */
async function pipedLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const output = process.stderr;
    const lines = createInterface({ input: process.stdin, output, terminal: true });
    const mute = lines as unknown as { _writeToOutput(text: string): void };
    output.write(question);
    mute._writeToOutput = () => {};
    lines.question('', (answer) => {
      lines.close();
      output.write('\n');
      resolve(answer);
    });
  });
}

/** A new password, typed twice on a terminal (not echoed) or read from piped input; never from an argument. */
export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const piped = await pipedLine();
    if (!piped) throw new UsageError('No password on standard input: pipe it in, or run in a terminal to be asked.');
    return piped;
  }
  const first = await askHidden('Password (at least 10 characters): ');
  const second = await askHidden('Again: ');
  if (first !== second) throw new UsageError('The two passwords differ.');
  return first;
}
