// Prints the manifest of the built package as Markdown tables (for the README).
// Usage: pnpm build && node scripts/manifest-table.mjs
import { githubManifest } from '../dist/index.js';

const rows = [];
for (const [iface, entry] of Object.entries(githubManifest.spec.interfaces)) {
  if (!entry?.supported) continue;
  rows.push(`### ${iface}\n`);
  rows.push(`Objects: ${(entry.objects ?? []).join(', ')}. Webhook events: ${(entry.webhooks ?? []).map((w) => `\`${w}\``).join(', ')}.\n`);
  rows.push('| operation | write | GitHub App permissions | idempotency | confirmed by | notes |');
  rows.push('| --- | --- | --- | --- | --- | --- |');
  for (const op of entry.operations ?? []) {
    const o = typeof op === 'string' ? { operation: op } : op;
    const cell = (v) => (v === undefined || v === '' ? '' : String(v).replace(/\|/g, '\\|').replace(/\n/g, ' '));
    rows.push(
      `| \`${o.operation}\` | ${o.write ? 'yes' : 'no'} | ${cell((o.requires?.nativeScopes ?? []).join(', '))} | ${cell(o.idempotency?.mode)} | ${cell((o.webhookConfirmation?.events ?? []).join(', '))} | ${cell(o.notes)} |`,
    );
  }
  rows.push('');
}
process.stdout.write(`${rows.join('\n')}\n`);
