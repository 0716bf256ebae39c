import { packIfNewerFrame, type FrameField } from './if-newer-frame';

/** Reads a frame back by its documented layout (what the script does with `struct.unpack`). */
function unpack(frame: Buffer): FrameField[][] {
  const hashes: FrameField[][] = [];
  let pos = 0;
  while (pos < frame.length) {
    const count = frame.readUInt16BE(pos);
    pos += 2;
    const fields: FrameField[] = [];
    for (let i = 0; i < count; i++) {
      const nameLength = frame.readUInt16BE(pos);
      const field = frame.toString('utf8', pos + 2, pos + 2 + nameLength);
      pos += 2 + nameLength;
      const eventTimeMs = frame.readDoubleBE(pos);
      const valueLength = frame.readUInt32BE(pos + 8);
      const value = frame.subarray(pos + 12, pos + 12 + valueLength);
      pos += 12 + valueLength;
      fields.push({ field, eventTimeMs, value: Buffer.from(value) });
    }
    hashes.push(fields);
  }
  return hashes;
}

describe('packIfNewerFrame', () => {
  it('packs every hash, in order, with each field, event time and value as the layout says', () => {
    const hashes: FrameField[][] = [
      [
        { field: 'customer_profile', eventTimeMs: 1_764_633_600_123, value: Buffer.from([0x93, 1, 2, 3]) },
        { field: 'customer_exposure', eventTimeMs: 0, value: Buffer.alloc(0) },
      ],
      [],
      [{ field: 'vue_ünïcode', eventTimeMs: 8_640_000_000_000_000, value: Buffer.alloc(70_000, 7) }],
    ];
    const frame = packIfNewerFrame(hashes);
    expect(unpack(frame)).toEqual(hashes);
    // The exact size: nothing before, between or after.
    expect(frame.length).toBe(3 * 2 + (2 + 16 + 12 + 4) + (2 + 17 + 12 + 0) + (2 + Buffer.byteLength('vue_ünïcode') + 12 + 70_000));
  });

  it('starts with the first hash field count, big-endian', () => {
    const frame = packIfNewerFrame([[{ field: 'v', eventTimeMs: 1, value: Buffer.from('x') }]]);
    expect([...frame.subarray(0, 5)]).toEqual([0, 1, 0, 1, 'v'.charCodeAt(0)]);
  });

  it('refuses more fields in a hash than the count can say', () => {
    const many = Array.from({ length: 0x10000 }, () => ({ field: 'v', eventTimeMs: 1, value: Buffer.alloc(0) }));
    expect(() => packIfNewerFrame([many])).toThrow(/65536 fields/);
  });
});
