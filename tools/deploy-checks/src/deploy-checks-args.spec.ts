import { parseDeployChecksArgs, UsageError } from './deploy-checks-args';

const usageError = (...argv: string[]): string => {
  try {
    parseDeployChecksArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
};

describe('parseDeployChecksArgs', () => {
  it('reads the two commands and their path', () => {
    expect(parseDeployChecksArgs(['check', 'deploy/terraform'])).toEqual({ kind: 'check', terraformDir: 'deploy/terraform' });
    expect(parseDeployChecksArgs(['write-schema', 'out.json'])).toEqual({ kind: 'write-schema', file: 'out.json' });
  });

  it('returns the help of the program and of each command', () => {
    const help = parseDeployChecksArgs(['--help']);
    expect(help.kind === 'help' && help.text).toMatch(/^Usage: deploy-checks \[options\] \[command\][\s\S]*check <terraform-dir>[\s\S]*write-schema <json-file>/);
    const check = parseDeployChecksArgs(['check', '--help']);
    expect(check.kind === 'help' && check.text).toMatch(/^Usage: deploy-checks check \[options\] <terraform-dir>[\s\S]*the Terraform root/);
    expect(parseDeployChecksArgs(['help', 'write-schema'])).toMatchObject({ kind: 'help', text: expect.stringMatching(/^Usage: deploy-checks write-schema/) });
  });

  it('names what is missing or not understood', () => {
    expect(usageError()).toBe('Expected a command: check or write-schema');
    expect(usageError('bogus', 'x')).toBe("Unknown command 'bogus'");
    expect(usageError('check')).toBe("Missing required argument 'terraform-dir'");
    expect(usageError('write-schema')).toBe("Missing required argument 'json-file'");
    expect(usageError('check', 'a', 'b')).toMatch(/^Too many arguments for 'check'/);
    expect(usageError('check', 'a', '--bogus')).toBe("Unknown option '--bogus'");
  });
});
