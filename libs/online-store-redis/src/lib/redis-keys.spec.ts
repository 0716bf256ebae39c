import { clusterSlot, entityHashKey } from './redis-keys';

describe('redis keys', () => {
  it('puts the entity in the hash tag', () => {
    expect(entityHashKey('c:123')).toBe('fs:v1:{c:123}');
  });

  it('computes Redis Cluster slots (values from CLUSTER KEYSLOT)', () => {
    expect(clusterSlot('123456789')).toBe(12739);
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('{foo}.bar')).toBe(12182);
    expect(clusterSlot('fs:v1:{c:1}')).toBe(clusterSlot('c:1'));
  });
});
