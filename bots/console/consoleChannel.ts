import type { Channel, ChannelHost, ChannelStatus, OutboundMessage } from '../../src/channel';

export const CONSOLE_CHANNEL = 'console';
const ACCOUNT = 'default';

/** A terminal chat for trying the bot locally: what the bot sends is printed. */
export class ConsoleChannel implements Channel {
  readonly name = CONSOLE_CHANNEL;
  private running = false;

  constructor(private readonly output: { write(text: string): unknown }) {}

  accounts(): string[] {
    return [ACCOUNT];
  }

  async start(_host: ChannelHost): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  async send(message: OutboundMessage): Promise<void> {
    this.output.write(`\n守望 → ${message.text.replace(/\n/g, '\n       ')}\n`);
  }

  status(): ChannelStatus {
    return { channel: this.name, accounts: [{ name: ACCOUNT, state: this.running ? 'logged_in' : 'stopped' }] };
  }
}
