import { bnplCatalog } from '@bnpl/feature-definitions';
import { describeCatalog } from '@bnpl/serving';
import { apiSchemas, openApiComponentSchemas } from './api-schemas';
import { FEAST_REQUEST_EXAMPLES, FEAST_RESPONSE_EXAMPLE, FEATURES_RESPONSE_EXAMPLE, ONLINE_FEATURES_REQUEST_EXAMPLES } from './examples';

const catalog = describeCatalog(bnplCatalog);

/** Every `$ref` in a JSON value. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
}

describe('OpenAPI component schemas', () => {
  const components = openApiComponentSchemas(catalog);

  it('has one OpenAPI 3.0 schema per named zod schema, every $ref resolving to one of them', () => {
    expect(Object.keys(components).sort()).toEqual(Object.keys(apiSchemas(catalog)).sort());
    for (const ref of refsIn(components)) expect(Object.keys(components)).toContain(ref.replace('#/components/schemas/', ''));
    const json = JSON.stringify(components);
    expect(json).not.toMatch(/"\$id"|"\$schema"|"definitions"|"\$defs"/);
  });

  it('shows the validation rules: strict objects, row limits, id types', () => {
    const request = components['OnlineFeaturesRequest'];
    expect(request).toMatchObject({ additionalProperties: false, required: ['entities'], properties: { entities: { minItems: 1, maxItems: 1000 } } });
    expect(JSON.stringify(request)).toContain('"maximum":9007199254740991');
  });

  it('has examples that the schemas accept', () => {
    const schemas = apiSchemas(catalog);
    for (const { value } of Object.values(ONLINE_FEATURES_REQUEST_EXAMPLES)) expect(schemas.OnlineFeaturesRequest.safeParse(value).error).toBeUndefined();
    for (const { value } of Object.values(FEAST_REQUEST_EXAMPLES)) expect(schemas.FeastGetOnlineFeaturesRequest.safeParse(value).error).toBeUndefined();
    expect(schemas.FeaturesResponse.safeParse(FEATURES_RESPONSE_EXAMPLE).error).toBeUndefined();
    expect(schemas.FeastGetOnlineFeaturesResponse.safeParse(FEAST_RESPONSE_EXAMPLE).error).toBeUndefined();
  });

  it('names every field of every documented body in snake_case', () => {
    // Property names (keys of `properties`) and `required` lists: no camelCase field anywhere in the API.
    const names: string[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(collect);
      if (typeof value !== 'object' || value === null) return;
      for (const [key, v] of Object.entries(value)) {
        if (key === 'properties' && typeof v === 'object' && v !== null) names.push(...Object.keys(v));
        collect(v);
      }
    };
    collect(components);
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((name) => !/^[a-z][a-z0-9_]*$/.test(name))).toEqual([]);
    const examples = JSON.stringify([ONLINE_FEATURES_REQUEST_EXAMPLES, FEATURES_RESPONSE_EXAMPLE, FEAST_REQUEST_EXAMPLES, FEAST_RESPONSE_EXAMPLE]);
    expect(examples).not.toMatch(/"[a-z]+[A-Z]\w*":/);
  });

  it('documents money in one shape, as gRPC JSON writes it', () => {
    expect(components['Money']).toMatchObject({ required: ['amount_minor', 'currency'], properties: { amount_minor: { type: 'string' } } });
  });
});
