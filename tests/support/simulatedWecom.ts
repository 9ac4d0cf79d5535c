/** The simulated WeCom lives beside its channel, so `npm run cli -- wechat simulate` can use it too. */
export * from '../../bots/wecom/simulatedPlatform';
