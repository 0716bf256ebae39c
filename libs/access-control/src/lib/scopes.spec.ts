import { isScope, parseScopes, SCOPES } from './scopes';

describe('scopes', () => {
  it('are the six the API knows', () => {
    expect(SCOPES).toEqual(['features:read', 'catalog:read', 'jobs:write', 'jobs:read', 'audit:read', 'admin']);
    expect(isScope('admin')).toBe(true);
    expect(isScope('Admin')).toBe(false);
    expect(isScope(undefined)).toBe(false);
  });

  it('parse from space- or comma-separated text and lists, in SCOPES order, without duplicates', () => {
    expect(parseScopes('jobs:read features:read,jobs:read')).toEqual({ scopes: ['features:read', 'jobs:read'], unknown: [] });
    expect(parseScopes(['admin', 'root', 'features:write root'])).toEqual({ scopes: ['admin'], unknown: ['root', 'features:write'] });
    expect(parseScopes('')).toEqual({ scopes: [], unknown: [] });
  });
});
