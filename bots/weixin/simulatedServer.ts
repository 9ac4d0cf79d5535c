import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decryptMessage, signatureMatches, wechatSignature } from './msgCrypt';
import { parseWechatXml } from './xml';

/** A simulated platform's answer: JSON (errcodes inside HTTP 200, as WeChat answers) or a media file's bytes. */
export type SimulatedReply = Record<string, unknown> | { file: Buffer; contentType: string };

/**
 * The HTTP side shared by the simulated 服务号 and WeCom platforms: a server on 127.0.0.1 that
 * answers every API call with HTTP 200, JSON bodies read as the real APIs read them.
 */
export abstract class SimulatedServer {
  url = '';
  private server: Server | undefined;
  private readonly media = new Map<string, { file: Buffer; contentType: string }>();

  protected abstract handle(url: URL, body: Record<string, unknown>): Promise<SimulatedReply> | SimulatedReply;

  /** Listens on `port` (0: any free port) of 127.0.0.1; returns the base URL to configure as apiBase. */
  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      void this.answer(request).then((reply) => {
        if ('file' in reply && Buffer.isBuffer(reply.file)) {
          response.writeHead(200, { 'content-type': String(reply.contentType), 'content-length': reply.file.length });
          response.end(reply.file);
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A photo or voice note a person sent: the platform keeps it under its media id (media/get). */
  keepMedia(mediaId: string, file: Buffer, contentType = 'image/jpeg'): void {
    this.media.set(mediaId, { file, contentType });
  }

  /** media/get: the file, or errcode 40007 inside HTTP 200. */
  protected mediaGet(url: URL): SimulatedReply {
    return this.media.get(url.searchParams.get('media_id') ?? '') ?? { errcode: 40007, errmsg: 'invalid media_id' };
  }

  private async answer(request: IncomingMessage): Promise<SimulatedReply> {
    const url = new URL(request.url ?? '/', 'http://simulated');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    return this.handle(url, body);
  }
}

/** A signed callback's result as the platform saw it. */
export async function postText(url: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: response.status, text: await response.text() };
}

/**
 * A callback's answer read as the platform reads a passive reply: the text it shows the sender,
 * after checking the signature and the receiver when the reply is encrypted; null for a plain
 * acknowledgement (`success` or empty) or a reply the platform would reject.
 */
export function passiveReplyOf(answer: string, secrets: { token: string; encodingAesKey?: string; receiverId: string }): { to: string; text: string } | null {
  let fields = parseWechatXml(answer);
  if (fields && typeof fields.Encrypt === 'string') {
    if (!secrets.encodingAesKey) return null;
    const expected = wechatSignature(secrets.token, String(fields.TimeStamp), String(fields.Nonce), fields.Encrypt);
    if (!signatureMatches(String(fields.MsgSignature), expected)) return null;
    const opened = decryptMessage(secrets.encodingAesKey, fields.Encrypt);
    if (opened.receiverId !== secrets.receiverId) return null;
    fields = parseWechatXml(opened.message);
  }
  if (!fields || fields.MsgType !== 'text' || typeof fields.Content !== 'string') return null;
  return { to: String(fields.ToUserName), text: fields.Content };
}
