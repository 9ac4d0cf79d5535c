import QRCode from 'qrcode';
import type { MpApi } from './mpApi';

/**
 * A PNG of the 服务号's parametric QR code for an invite: scanning it follows the account and
 * binds the follower to the invite's person (the subscribe event carries qrscene_<code>). It is
 * valid as long as the code, at most WeChat's 30 days.
 */
export async function writeInviteQr(api: MpApi, invite: { code: string; expiresAt: Date }, file: string, now: Date): Promise<{ url: string }> {
  const seconds = Math.max(60, Math.floor((invite.expiresAt.getTime() - now.getTime()) / 1000));
  const qr = await api.sceneQr(invite.code, seconds);
  await QRCode.toFile(file, qr.url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 430 });
  return { url: qr.url };
}
