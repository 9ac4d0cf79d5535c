import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';

function captureLog(write: (logger: ReturnType<typeof createLogger>) => void): string {
  let output = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  write(createLogger('info', sink));
  return output;
}

describe('logs', () => {
  it("never carry a child's ID number, a phone or an address, however deeply they are nested", () => {
    const output = captureLog((logger) => {
      logger.info({ nationalId: '42010220080101123X', phone: '13900001111' }, 'top level');
      logger.info({ child: { name: '小明', nationalId: '42010220080101123X', address: '清河镇一组' } }, 'nested');
      logger.info({ request: { guardian: { phone: '13900001111' } } }, 'deeper');
    });
    expect(output).not.toContain('42010220080101123X');
    expect(output).not.toContain('13900001111');
    expect(output).not.toContain('清河镇一组');
    expect(output).toContain('小明');
    expect(output.match(/\[redacted\]/g)).toHaveLength(5);
  });
});
