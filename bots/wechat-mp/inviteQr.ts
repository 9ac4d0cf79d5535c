import QRCode from 'qrcode';
import type { MpApi } from './mpApi';

/**
 * A PNG of the 服务号's parametric QR code for an invite: scanning it follows the account and
 * binds the follower to the invite's person (the subscribe event carries qrscene_<code>). It is
 * valid as long as the code, at most WeChat's 30 days.
 */
/** The QR code's content and a PNG of it as a data URL, for the admin API and the console. */
export async function inviteQrDataUrl(api: MpApi, invite: { code: string; expiresAt: Date }, now: Date): Promise<{ url: string; png: string }> {
  const qr = await api.sceneQr(invite.code, secondsLeft(invite, now));
  return { url: qr.url, png: await QRCode.toDataURL(qr.url, { errorCorrectionLevel: 'M', margin: 2, width: 430 }) };
}

function secondsLeft(invite: { expiresAt: Date }, now: Date): number {
  return Math.max(60, Math.floor((invite.expiresAt.getTime() - now.getTime()) / 1000));
}

export async function writeInviteQr(api: MpApi, invite: { code: string; expiresAt: Date }, file: string, now: Date): Promise<{ url: string }> {
  const qr = await api.sceneQr(invite.code, secondsLeft(invite, now));
  await QRCode.toFile(file, qr.url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 430 });
  return { url: qr.url };
}
