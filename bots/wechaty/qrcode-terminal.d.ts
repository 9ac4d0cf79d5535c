/** qrcode-terminal ships no types; this is the one call Shouwang makes. */
declare module 'qrcode-terminal' {
  const qrcodeTerminal: {
    /** Must be called as a method: it reads its error-correction level from `this`. */
    generate(text: string, options: { small?: boolean }, callback: (qrcode: string) => void): void;
  };
  export = qrcodeTerminal;
}
