import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { scaffold } from './scaffold.js';

const USAGE = `Usage: create-krate-provider <name> [--dir <folder>] [--display-name <name>]

Writes a Krate provider package: a capability manifest, an adapter, an MSW fake of
the vendor API and a contract test that passes on the first run.

  <name>              acme, krate-provider-acme or @acme/krate-provider-tracker
  --dir <folder>      where to write it (default: ./<package folder name>)
  --display-name <n>  the vendor's name in docs (default: from <name>)
  -h, --help          this text
`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { dir: { type: 'string' }, 'display-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [name, ...rest] = parsed.positionals;
  if (!name || rest.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const result = scaffold({ name, directory: parsed.values.dir, displayName: parsed.values['display-name'] });
    const where = relative(process.cwd(), result.directory) || '.';
    process.stdout.write(
      `Created ${result.packageName} (provider type "${result.providerType}") in ${where}:\n` +
        result.files.map((f) => `  ${f}`).join('\n') +
        `\n\nNext steps:\n  cd ${where}\n  pnpm install\n  pnpm test      # the contract suite runs against the fake\n\n` +
        'Then grow it: see "Growing the provider" in its README.\n',
    );
    return 0;
  } catch (error) {
    process.stderr.write(`create-krate-provider: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
