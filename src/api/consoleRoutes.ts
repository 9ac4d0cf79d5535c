import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Middleware } from 'koa';

/** Where `npm install` (or `npm start`) builds the console. */
export const CONSOLE_DIST = path.resolve(__dirname, '../../console/dist');
const PREFIX = '/console';

/**
 * Everything comes from this service: scripts, styles and fonts from 'self' only (intranets have
 * no internet, and a page that may load nothing from elsewhere cannot leak to elsewhere either).
 * Element Plus and Vue set inline styles, hence 'unsafe-inline' for styles alone.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

async function fileAt(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The web console at /console: the built files, and index.html for every other path below it
 * (the console routes in the browser). Hashed assets are cached for a year, index.html never.
 */
export function consoleRoutes(dist: string = CONSOLE_DIST): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === PREFIX) return ctx.redirect(`${PREFIX}/`);
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice(PREFIX.length + 1));
    } catch {
      ctx.status = 400;
      ctx.body = 'malformed path';
      return;
    }
    const requested = path.resolve(dist, relative);
    const inside = requested.startsWith(`${dist}${path.sep}`);
    const asset = inside && relative.startsWith('assets/') && (await fileAt(requested));
    const index = path.join(dist, 'index.html');
    if (!asset && !(await fileAt(index))) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = '控制台尚未构建：请运行 npm run build:console（npm install 和 npm start 会自动构建）。\nThe console is not built: run npm run build:console.\n';
      return;
    }
    if (relative.startsWith('assets/') && !asset) {
      ctx.status = 404;
      return;
    }
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cache-Control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.type = path.extname(asset ? requested : index);
    ctx.body = createReadStream(asset ? requested : index);
  };
}
