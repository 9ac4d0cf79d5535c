import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { errorBody } from './errors';
import { openApiPath, type AnyRoute, type Resource } from './route';

const API_PREFIX = '/api/v1';

export type OpenApiDocument = ReturnType<typeof createDocument>;

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } });

function operation(route: AnyRoute, tag: string): ZodOpenApiOperationObject {
  const success = route.files
    ? {
        description: 'the file, streamed',
        content: Object.fromEntries(route.files.map((type) => [type, { schema: z.string().meta({ format: 'binary' }) }])),
      }
    : { description: 'success', content: { 'application/json': { schema: route.response ?? z.object({}) } } };
  return {
    tags: [tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${openApiPath(route.path).replace(/[{}]/g, '').replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    requestParams: { ...(route.params ? { path: route.params } : {}), ...(route.query ? { query: route.query } : {}) },
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    ...(route.uploads
      ? { requestBody: { required: true, content: Object.fromEntries(route.uploads.map((type) => [type, { schema: z.string().meta({ format: 'binary' }) }])) } }
      : {}),
    responses: {
      [String(route.status ?? 200)]: success,
      ...(route.params || route.query || route.body || route.uploads ? { 400: errorResponse('a parameter or body field is invalid; issues name it') } : {}),
      401: errorResponse('no token, or an unknown or revoked one'),
      ...(route.access === 'read' ? {} : { 403: errorResponse(route.access === 'write' ? 'the token is read-only (auditor)' : 'officer tokens only') }),
      404: errorResponse('not found, or outside the token’s area'),
      ...(route.method === 'get' ? {} : { 409: errorResponse('taken already (a code, an ID number)'), 422: errorResponse('refused by a rule; `error` names it') }),
      429: errorResponse('too many failed logins from this address (Retry-After says how long to wait)'),
    },
  };
}

/** The OpenAPI 3.1 document of the admin API, generated from the routes' own zod schemas. */
export function openApiDocument(resources: readonly Resource[]): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const resource of resources) {
    for (const route of resource.routes) {
      const path = `${API_PREFIX}${openApiPath(route.path)}`;
      paths[path] = { ...paths[path], [route.method]: operation(route, resource.name) };
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Shouwang admin API',
      version: '1',
      description:
        'Registry, cases, ledgers and exports for township, district and city staff. Every request carries `Authorization: Bearer <token>` (`npm run cli -- token create`); a token sees only its area and the areas within it.',
    },
    tags: resources.map((resource) => ({ name: resource.name, description: resource.description })),
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API token: sw_…' } } },
    paths,
  });
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const json = (value: unknown): string => escapeHtml(JSON.stringify(value, null, 2));

interface DocOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: unknown }>;
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

/** A self-contained reference page (no scripts, no CDN: the service runs on intranets). */
export function apiDocsPage(document: OpenApiDocument): string {
  const sections = (document.tags ?? []).map((tag) => {
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, DocOperation>)
        .filter(([, op]) => op.tags?.includes(tag.name))
        .map(([method, op]) => {
          const params = (op.parameters ?? [])
            .map((p) => `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : ''}</td><td><code>${json(p.schema)}</code></td></tr>`)
            .join('');
          const body = op.requestBody ? `<h4>Body</h4><pre>${json(Object.values(op.requestBody.content)[0]?.schema)}</pre>` : '';
          const responses = Object.entries(op.responses ?? {})
            .map(([status, r]) => `<li><b>${status}</b> ${escapeHtml(r.description ?? '')}${status.startsWith('2') && r.content ? `<pre>${json(Object.values(r.content)[0]?.schema)}</pre>` : ''}</li>`)
            .join('');
          return `<details><summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> ${escapeHtml(op.summary ?? '')}</summary>
${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}${params ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${params}</table>` : ''}${body}<h4>Responses</h4><ul>${responses}</ul></details>`;
        }),
    );
    return `<section><h2>${escapeHtml(tag.name)}</h2><p>${escapeHtml(tag.description ?? '')}</p>${operations.join('\n')}</section>`;
  });
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}details{border:1px solid #ddd;border-radius:4px;margin:.4em 0;padding:.3em .6em}summary{cursor:pointer}pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:24em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}.m{display:inline-block;min-width:4em;font-weight:bold}.get{color:#0a6}.post{color:#06c}.patch,.put{color:#a60}.delete{color:#c00}</style></head>
<body><h1>${escapeHtml(document.info.title)}</h1><p>${escapeHtml(document.info.description ?? '')}</p><p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${document.openapi}).</p>
${sections.join('\n')}</body></html>`;
}
