import { apiKeyIdOf, containsApiKey, generateApiKey, hashApiKey, matchesApiKeyHash } from './api-key';

describe('API keys', () => {
  it('are fsk_<12 hex id>_<43 base64url characters>, different every time', () => {
    const keys = Array.from({ length: 50 }, () => generateApiKey());
    for (const key of keys) {
      expect(key.plaintext).toMatch(/^fsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(apiKeyIdOf(key.plaintext)).toBe(key.id);
      expect(key.secretHash.equals(hashApiKey(key.plaintext))).toBe(true);
    }
    expect(new Set(keys.map((k) => k.plaintext)).size).toBe(50);
    expect(new Set(keys.map((k) => k.id)).size).toBe(50);
  });

  it('store a SHA-256 of the whole key and compare it exactly', () => {
    const key = generateApiKey();
    expect(key.secretHash).toHaveLength(32);
    expect(matchesApiKeyHash(key.plaintext, key.secretHash)).toBe(true);
    const tampered = key.plaintext.slice(0, -1) + (key.plaintext.endsWith('A') ? 'B' : 'A');
    expect(matchesApiKeyHash(tampered, key.secretHash)).toBe(false);
    expect(matchesApiKeyHash(key.plaintext, key.secretHash.subarray(0, 16))).toBe(false);
  });

  it('are recognised only in their exact format', () => {
    const key = generateApiKey().plaintext;
    expect(apiKeyIdOf(`${key}x`)).toBeUndefined();
    expect(apiKeyIdOf(key.toUpperCase())).toBeUndefined();
    expect(apiKeyIdOf('fsk_abc')).toBeUndefined();
    expect(containsApiKey(`see ${key} here`)).toBe(true);
    expect(containsApiKey('fsk_ but not a key')).toBe(false);
  });
});
