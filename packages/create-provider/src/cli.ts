import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { nextSteps } from './next-steps.js';
import { detectPackageManager, scaffold, TEMPLATE_VERSIONS, type PackageManager } from './scaffold.js';

const PACKAGE_MANAGERS: readonly PackageManager[] = ['npm', 'pnpm', 'yarn', 'bun'];

const USAGE = `Usage: create-krate-provider <name> [--dir <folder>] [--display-name <name>]

Writes a Krate provider package: a capability manifest, an adapter, an MSW fake of
the vendor API and a contract test that passes on the first run.

  <name>                    acme, krate-provider-acme or @acme/krate-provider-tracker
  --dir <folder>            where to write it (default: ./<package folder name>)
  --display-name <n>        the vendor's name in docs (default: from <name>)
  --package-manager <pm>    npm, pnpm, yarn or bun, for the next steps printed at the end
                            (default: the one that ran this command)
  -v, --version             the version of this tool and of the packages it writes
  -h, --help                this text
`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        'display-name': { type: 'string' },
        'package-manager': { type: 'string' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.values.version) {
    const { 'create-krate-provider': own, ...writes } = TEMPLATE_VERSIONS;
    process.stdout.write(`create-krate-provider ${own}\nwrites:\n${Object.entries(writes).map(([n, r]) => `  ${n} ${r}`).join('\n')}\n`);
    return 0;
  }
  const chosen = parsed.values['package-manager'];
  if (chosen !== undefined && !PACKAGE_MANAGERS.includes(chosen as PackageManager)) {
    process.stderr.write(`--package-manager must be one of ${PACKAGE_MANAGERS.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const [name, ...rest] = parsed.positionals;
  if (!name || rest.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const result = scaffold({ name, directory: parsed.values.dir, displayName: parsed.values['display-name'] });
    const where = relative(process.cwd(), result.directory) || '.';
    process.stdout.write(nextSteps(result, where, (chosen as PackageManager | undefined) ?? detectPackageManager(process.env.npm_config_user_agent)));
    return 0;
  } catch (error) {
    process.stderr.write(`create-krate-provider: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
