import { boundMessage, MAX_ERROR_MESSAGE_LENGTH, MAX_QUOTED_INPUT_LENGTH, quoteInput } from './bounded-message';

describe('quoteInput', () => {
  it('quotes short input as JSON', () => {
    expect(quoteInput('customer_profile:nope')).toBe('"customer_profile:nope"');
    expect(quoteInput('a"b')).toBe('"a\\"b"');
  });

  it('quotes the start of long input and its length', () => {
    const quoted = quoteInput('x'.repeat(100_000));
    expect(quoted).toBe(`"${'x'.repeat(MAX_QUOTED_INPUT_LENGTH)}…" (100000 characters)`);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'x'.repeat(MAX_QUOTED_INPUT_LENGTH - 1)}😀${'y'.repeat(10)}`;
    const quoted = quoteInput(text);
    expect(quoted.startsWith(`"${'x'.repeat(MAX_QUOTED_INPUT_LENGTH - 1)}…"`)).toBe(true);
    expect(() => encodeURIComponent(quoted)).not.toThrow();
  });
});

describe('boundMessage', () => {
  it('keeps messages up to the limit as they are', () => {
    const message = 'm'.repeat(MAX_ERROR_MESSAGE_LENGTH);
    expect(boundMessage(message)).toBe(message);
  });

  it('cuts longer ones to the limit, saying so', () => {
    const bounded = boundMessage(`Unknown feature "${'x'.repeat(4 * 1024 * 1024)}"`);
    expect(bounded.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(bounded).toMatch(/^Unknown feature "x+ … \(cut: 4194322 characters\)$/);
  });

  it('never splits a surrogate pair', () => {
    const bounded = boundMessage('😀'.repeat(2_000));
    expect(() => encodeURIComponent(bounded)).not.toThrow();
    expect(bounded.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  });
});
