import { InvalidMessagePayloadError } from '../errors/invalid-message-payload.error';
import { keyRevocationsTopic } from './key-revocations.topic';
import { messagingType } from './messaging-types';

describe('keyRevocationsTopic', () => {
  const revocation = { keyId: '0123456789ab', revokeTime: new Date('2026-12-01T10:00:00.123Z') };

  it('is bnpl.auth.key-revocations carrying KeyRevocation, and round-trips', () => {
    expect([keyRevocationsTopic.name, keyRevocationsTopic.messageType]).toEqual(['bnpl.auth.key-revocations', 'bnpl.featurestore.v1.KeyRevocation']);
    expect(keyRevocationsTopic.decode(keyRevocationsTopic.encode(revocation))).toEqual(revocation);
  });

  it.each([
    ['a key id that is not one', { keyId: 'fsk_secret', revokeTime: { seconds: 1 } }, /keyId: must be an API key id/],
    ['no revoke time', { keyId: '0123456789ab' }, /revokeTime: is required/],
  ])('rejects %s, naming the field', (_what, plain, message) => {
    const type = messagingType('KeyRevocation');
    const bytes = type.encode(type.fromObject(plain)).finish();
    expect(() => keyRevocationsTopic.decode(bytes)).toThrow(InvalidMessagePayloadError);
    expect(() => keyRevocationsTopic.decode(bytes)).toThrow(message);
  });

  it('refuses to encode a payload it would not decode', () => {
    expect(() => keyRevocationsTopic.encode({ ...revocation, keyId: 'nope' })).toThrow(InvalidMessagePayloadError);
  });
});
