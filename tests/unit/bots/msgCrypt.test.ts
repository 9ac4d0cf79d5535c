import { decryptMessage, encryptMessage, openEncrypted, wechatSignature } from '../../../bots/weixin/msgCrypt';
import { parseWechatXml } from '../../../bots/weixin/xml';

/** Tencent's published samples: the 公众平台 WXBizMsgCrypt Sample and the 企业微信 callback sample. */
const MP = {
  token: 'spamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
};

const WECOM = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
  verify: {
    msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  },
  message: {
    msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    encrypt:
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  },
};

describe('WeChat message signatures and encryption, against Tencent’s sample vectors', () => {
  it('signs the 服务号 sample’s encrypted body to its msg_signature and opens it to the text message for its appid', () => {
    expect(wechatSignature(MP.token, MP.timestamp, MP.nonce, MP.encrypt)).toBe(MP.msgSignature);
    const opened = decryptMessage(MP.encodingAesKey, MP.encrypt);
    expect(opened.receiverId).toBe(MP.appId);
    expect(parseWechatXml(opened.message)).toEqual({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
  });

  it('verifies the WeCom sample URL check and answers its echostr', () => {
    const { msgSignature, timestamp, nonce, echostr } = WECOM.verify;
    expect(wechatSignature(WECOM.token, timestamp, nonce, echostr)).toBe(msgSignature);
    expect(openEncrypted([WECOM.encodingAesKey], echostr, WECOM.corpId)).toBe('1616140317555161061');
  });

  it('opens the WeCom sample message for its CorpID', () => {
    const { msgSignature, timestamp, nonce, encrypt } = WECOM.message;
    expect(wechatSignature(WECOM.token, timestamp, nonce, encrypt)).toBe(msgSignature);
    const message = parseWechatXml(openEncrypted([WECOM.encodingAesKey], encrypt, WECOM.corpId)!);
    expect(message).toMatchObject({ FromUserName: 'mycreate', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218' });
  });

  it('refuses a body for another appid or under an unknown key, and accepts the previous key during a key change', () => {
    expect(openEncrypted([MP.encodingAesKey], MP.encrypt, 'wx0000000000000000')).toBeNull();
    expect(openEncrypted([WECOM.encodingAesKey], MP.encrypt, MP.appId)).toBeNull();
    expect(openEncrypted([WECOM.encodingAesKey, MP.encodingAesKey], MP.encrypt, MP.appId)).toContain('abcdteT');
  });

  it('round-trips Chinese text with a fixed random prefix', () => {
    const encrypted = encryptMessage(MP.encodingAesKey, '我是中文abcd123', MP.appId, Buffer.from('aaaabbbbccccdddd'));
    expect(decryptMessage(MP.encodingAesKey, encrypted)).toEqual({ message: '我是中文abcd123', receiverId: MP.appId });
  });

  it('reads no document from malformed XML', () => {
    expect(parseWechatXml('<xml><Content>unclosed</xml>')).toBeNull();
    expect(parseWechatXml('not xml at all')).toBeNull();
  });
});
