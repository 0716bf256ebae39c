import { catalogDocHelp, parseCatalogDocArgs, UsageError } from './catalog-doc-args';

const usageError = (...argv: string[]): string => {
  try {
    parseCatalogDocArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
};

describe('parseCatalogDocArgs', () => {
  it('prints by default and writes into the file given to --write', () => {
    expect(parseCatalogDocArgs([])).toEqual({ kind: 'print' });
    expect(parseCatalogDocArgs(['--write', 'README.md'])).toEqual({ kind: 'write', file: 'README.md' });
    expect(parseCatalogDocArgs(['--write=docs/x.md'])).toEqual({ kind: 'write', file: 'docs/x.md' });
  });

  it('returns the help for --help and -h', () => {
    const help = parseCatalogDocArgs(['--help']);
    expect(help).toEqual({ kind: 'help', text: catalogDocHelp() });
    expect(help.kind === 'help' && help.text).toMatch(/^Usage: catalog-doc \[options\]\n\nPrints the BNPL feature catalog as Markdown\.[\s\S]*--write <file>[\s\S]*-h, --help[\s\S]*npx nx write-readme catalog-doc/);
    expect(parseCatalogDocArgs(['-h']).kind).toBe('help');
  });

  it('rejects what it would otherwise ignore, naming it', () => {
    expect(usageError('--write')).toBe("Option '--write <file>' argument missing");
    expect(usageError('--write', '')).toBe('--write must name a file');
    expect(usageError('README.md')).toBe("Unexpected argument 'README.md'. This command does not take positional arguments");
    expect(usageError('--wirte', 'README.md')).toBe("Unknown option '--wirte'");
  });
});
