import { commandsFor, type PackageManager, type ScaffoldResult } from './scaffold.js';

/** The text printed after a scaffold: where it is and the commands of the package manager in use. */
export function nextSteps(result: ScaffoldResult, where: string, packageManager: PackageManager): string {
  const run = commandsFor(packageManager);
  const lines = [
    `Created ${result.packageName} (provider type "${result.providerType}") in ${where}:`,
    ...result.files.map((f) => `  ${f}`),
    '',
  ];
  if (result.pnpmWorkspaceRoot) {
    lines.push(
      `It is inside the pnpm workspace at ${result.pnpmWorkspaceRoot}, so no pnpm-workspace.yaml was written: allow esbuild's`,
      'install script there (allowBuilds: { esbuild: true, msw: false }) if it is not allowed yet.',
      '',
    );
  }
  const width = Math.max(run.install.length, run.test.length, run.conformance.length) + 2;
  const step = (command: string, comment?: string) => `  ${comment ? command.padEnd(width) + `# ${comment}` : command}`;
  lines.push('Next steps:');
  if (where !== '.') lines.push(step(`cd ${where}`));
  lines.push(
    step(run.install),
    step(run.test, 'the contract suite runs against the fake'),
    step(run.conformance, 'builds, then the same cases through krate-contract'),
    '',
    'Then grow it: see "Growing the provider" in its README.',
    '',
  );
  return lines.join('\n');
}
