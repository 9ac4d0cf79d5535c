import { adminApiRouter } from '../../../src/api/adminApi';
import { createLogger } from '../../../src/log';
import { startApiServer, type ApiTestServer } from '../../support/adminApi';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  tags: string[];
}

/** Every `$ref` in a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refs(v)));
  }
  return [];
}

describeEachEngine('admin API description', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  // The document is read as JSON: shapes are checked below.
  let document: any;
  /** The router's own list of routes: METHOD /api/v1/path/{param}. */
  let routed: string[];
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    api = await startApiServer(database);
    const response = await api.call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
    const router = adminApiRouter({
      database,
      db: database.db,
      cipher: database.cipher,
      logger: createLogger('silent'),
      clock: () => new Date(),
      timeZone: 'Asia/Shanghai',
      inviteTtlDays: 7,
      sessionIdleMs: 30 * 60_000,
    });
    routed = router.stack
      .filter((layer) => layer.methods.length > 0)
      .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`))
      .filter((route) => !/\/(openapi\.json|docs)$/.test(route));
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('is an OpenAPI 3.1 document with a title, a version and bearer authentication, readable without a token', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    expect(document.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(document.security).toEqual([{ bearer: [] }]);
  });

  it('lists exactly the routes the router serves', () => {
    const documented = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routed.length).toBeGreaterThan(20);
    expect([...documented].sort()).toEqual([...routed].sort());
  });

  it('gives every operation a tag, a unique id, its path parameters, a success response and the error responses', () => {
    const ids = new Set<string>();
    const tags = new Set((document.tags as Array<{ name: string }>).map((tag) => tag.name));
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, tagged: operation.tags.every((tag) => tags.has(tag)), unique: !ids.has(operation.operationId) }).toEqual({ where, tagged: true, unique: true });
        ids.add(operation.operationId);
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => ({ name: p.name, required: p.required }));
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], required: true }));
        expect({ where, parameters: declared }).toEqual({ where, parameters: templated });
        const statuses = Object.keys(operation.responses);
        expect({ where, success: statuses.some((s) => /^2\d\d$/.test(s)), errors: ['401', '404'].every((s) => statuses.includes(s)) }).toEqual({ where, success: true, errors: true });
        for (const response of Object.values(operation.responses)) expect(typeof response.description).toBe('string');
      }
    }
  });

  it('documents every request body as JSON, and names no schema that it does not define', () => {
    const post = document.paths['/api/v1/children'].post as Operation;
    expect(post.requestBody!.content['application/json']!.schema).toEqual(
      expect.objectContaining({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['areaCode', 'name', 'birthDate']) }),
    );
    for (const ref of refs(document)) {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      expect({ ref, defined: Boolean(section && name && document.components[section]?.[name]) }).toEqual({ ref, defined: true });
    }
  });

  it('serves a self-contained reference page listing every route', async () => {
    const response = await fetch(`${api.url}/api/v1/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).not.toMatch(/<script|https?:\/\//);
    for (const path of Object.keys(document.paths)) expect(html).toContain(`<code>${path}</code>`);
  });
});
