import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { saveAttachment, type StoredAttachment } from '../../../src/store/messaging/attachments';
import { startApiServer, type ApiTestServer } from '../../support/adminApi';
import { createApiWorld, type ApiWorld } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

/** How many descriptors of this process have `file` open: the server runs in this process. */
function openHandlesOf(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

describeEachEngine('admin API: a case’s photos and voice notes', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let world: ApiWorld;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-attachments-'));
  const photoBytes = randomBytes(4096);
  const voiceBytes = randomBytes(8 * 1024 * 1024);
  let photo: { id: number; stored: StoredAttachment };
  let voice: { id: number; stored: StoredAttachment };
  let pdf: { id: number; stored: StoredAttachment };

  const attach = async (file: { kind: 'image' | 'audio' | 'file'; name: string; mimeType: string; data: Buffer }) => {
    const stored = await saveAttachment(dir, file, database.keyring);
    const report = await database.db.report.findUniqueOrThrow({ where: { number: world.home.caseNumber } });
    return { id: (await database.db.reportAttachment.create({ data: { reportId: report.id, ...stored } })).id, stored };
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await createApiWorld(database.db, database.cipher);
    api = await startApiServer(database, undefined, undefined, { attachmentDir: dir });
    photo = await attach({ kind: 'image', name: 'photo.jpg', mimeType: 'image/jpeg', data: photoBytes });
    voice = await attach({ kind: 'audio', name: 'voice.mp3', mimeType: 'audio/mpeg', data: voiceBytes });
    pdf = await attach({ kind: 'file', name: 'note.pdf', mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4 not really') });
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (token: string, id: number) => fetch(`${api.url}/api/v1/cases/${world.home.caseNumber}/attachments/${id}`, { headers: { authorization: `Bearer ${token}` } });

  it('lists them with the case, saying who may open them', async () => {
    const listed = await api.call('GET', `/cases/${world.home.caseNumber}/attachments`, { token: world.tokens.director });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ viewable: true, items: [{ id: photo.id, kind: 'image', mimeType: 'image/jpeg', size: 4096 }, { id: voice.id, kind: 'audio' }, { id: pdf.id }] });
    expect(JSON.stringify(listed.body)).not.toContain(photo.stored.sha256);
    const audited = await api.call('GET', `/cases/${world.home.caseNumber}/attachments`, { token: world.tokens.auditor });
    expect(audited.body.viewable).toBe(false);
  });

  it('streams a photo to the village’s director, inline, and audits the opening', async () => {
    const response = await open(world.tokens.director, photo.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-disposition')).toBe('inline');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await response.arrayBuffer()).equals(photoBytes)).toBe(true);
    const entry = await database.db.auditLog.findFirstOrThrow({ where: { action: 'attachment.read', subjectId: String(photo.id) } });
    expect(entry.actor).toMatch(/^token:\d+$/);
  });

  it('sends a file a browser should not render as a download', async () => {
    const response = await open(world.tokens.officer_township, pdf.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('refuses auditors, answers 404 outside the area, for another case’s id, and for a file gone from disk', async () => {
    expect((await open(world.tokens.auditor, photo.id)).status).toBe(403);
    const away = await fetch(`${api.url}/api/v1/cases/${world.away.caseNumber}/attachments/${photo.id}`, { headers: { authorization: `Bearer ${world.tokens.director}` } });
    expect(away.status).toBe(404);
    const elsewhere = await fetch(`${api.url}/api/v1/cases/${world.home.caseNumber}/attachments/${photo.id}`, { headers: { authorization: `Bearer ${world.tokens.officer_city}` } });
    expect(elsewhere.status).toBe(404);
    const gone = await attach({ kind: 'image', name: 'gone.png', mimeType: 'image/png', data: randomBytes(64) });
    unlinkSync(path.join(dir, gone.stored.path));
    const missing = await open(world.tokens.director, gone.id);
    expect({ status: missing.status, body: await missing.json() }).toMatchObject({ status: 404, body: { error: 'attachment_not_found' } });
  });

  it('closes the file when a client hangs up in the middle of a voice note, and serves the next one', async () => {
    const file = path.join(dir, voice.stored.path);
    const { hostname, port } = new URL(api.url);
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(`GET /api/v1/cases/${world.home.caseNumber}/attachments/${voice.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${world.tokens.director}\r\n\r\n`);
        });
        let seen = 0;
        socket.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 64 * 1024) socket.destroy();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve());
      });
    }
    const until = Date.now() + 5000;
    while (openHandlesOf(file) > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openHandlesOf(file)).toBe(0);
    const whole = await open(world.tokens.director, voice.id);
    expect(Buffer.from(await whole.arrayBuffer()).length).toBe(voiceBytes.length);
  });
});
