import { featuresInBody, featuresInMessage, featuresInQuery } from './access-rule.decorator';

describe('feature selections of requests', () => {
  it('read the query, the body and nested message fields, and nothing from anything else', () => {
    expect(featuresInQuery('service', 'features')({ query: { service: 's', features: 'a:b,c:d' } })).toEqual({ featureService: 's', features: 'a:b,c:d' });
    expect(featuresInBody('feature_service', 'features')({ body: { features: ['v:*'] } })).toEqual({ featureService: undefined, features: ['v:*'] });
    expect(featuresInMessage('feature_service', 'features.refs')({ features: { refs: ['v:f'] } })).toEqual({ featureService: undefined, features: ['v:f'] });
    for (const junk of [undefined, null, 'text', { body: 'text' }, { query: null }]) {
      expect(featuresInBody('feature_service', 'features')(junk)).toEqual({ featureService: undefined, features: undefined });
      expect(featuresInQuery('service', 'features')(junk)).toEqual({ featureService: undefined, features: undefined });
    }
  });
});
