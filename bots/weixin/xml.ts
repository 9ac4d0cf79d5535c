import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: true, ignoreDeclaration: true });

/**
 * The fields of a WeChat XML body (`<xml><ToUserName>…</ToUserName>…</xml>`), every value a
 * string; null for anything that is not such a document.
 */
export function parseWechatXml(body: string): Record<string, unknown> | null {
  if (XMLValidator.validate(body) !== true) return null;
  const parsed = parser.parse(body) as Record<string, unknown>;
  const root = parsed.xml;
  return root && typeof root === 'object' && !Array.isArray(root) ? (root as Record<string, unknown>) : null;
}

/** A WeChat XML document of string fields, values in CDATA. */
export function wechatXml(fields: Record<string, string | number>): string {
  const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
  return `<xml>${Object.entries(fields)
    .map(([name, value]) => `<${name}>${typeof value === 'number' ? value : cdata(value)}</${name}>`)
    .join('')}</xml>`;
}
