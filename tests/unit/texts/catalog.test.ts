import { catalog } from '../../../src/texts/catalog';
import { bindingTexts } from '../../../src/texts/chat/binding';
import { casesTexts } from '../../../src/texts/chat/cases';
import { checkInsTexts } from '../../../src/texts/chat/checkIns';
import { contactTexts } from '../../../src/texts/chat/contact';
import { familyTexts } from '../../../src/texts/chat/family';
import { generalTexts } from '../../../src/texts/chat/general';
import { guardianshipTexts } from '../../../src/texts/chat/guardianship';
import { holidaysTexts } from '../../../src/texts/chat/holidays';
import { recordsTexts } from '../../../src/texts/chat/records';
import { reportsTexts } from '../../../src/texts/chat/reports';

const FEATURES: Record<string, object> = { bindingTexts, casesTexts, checkInsTexts, contactTexts, familyTexts, generalTexts, guardianshipTexts, holidaysTexts, recordsTexts, reportsTexts };

describe('the chat texts, one file per feature and one lookup', () => {
  it('defines each key once: in one feature file, or in catalog.ts itself', () => {
    const owners = new Map<string, string[]>();
    for (const [feature, texts] of Object.entries(FEATURES)) for (const key of Object.keys(texts)) owners.set(key, [...(owners.get(key) ?? []), feature]);
    expect([...owners].filter(([, features]) => features.length > 1)).toEqual([]);
    // A key written in catalog.ts beside the spreads would silently replace a feature's text.
    const replaced = [...owners.keys()].filter((key) => catalog[key as keyof typeof catalog] !== (FEATURES[owners.get(key)![0]!] as Record<string, unknown>)[key]);
    expect(replaced).toEqual([]);
  });

  it('looks up every feature text through the catalog', () => {
    const featureKeys = Object.values(FEATURES).flatMap((texts) => Object.keys(texts));
    expect(Object.keys(catalog)).toEqual(expect.arrayContaining(featureKeys));
    expect(featureKeys.length).toBeGreaterThan(170);
  });
});
