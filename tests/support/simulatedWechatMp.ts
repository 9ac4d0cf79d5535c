/** The simulated 服务号 platform lives beside its channel, so `npm run cli -- wechat simulate` can use it too. */
export * from '../../bots/wechat-mp/simulatedPlatform';
