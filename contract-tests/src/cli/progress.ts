import type { CaseResult } from '../suite/types.js';

/**
 * The family a case belongs to, for progress lines: its `family` when the suite names one;
 * else `webhooks` for delivery cases, `<interface>.<operation>` for an operation's cases,
 * `<interface>.errors` for the error cases, and `<interface>` for the rest (an interface's
 * own cases, and operations it correctly refuses as unsupported, which run back to back).
 */
export function familyOf(result: CaseResult): string {
  const named = (result as { family?: unknown }).family;
  if (typeof named === 'string' && named) return named;
  const [head, second] = result.id.split('.');
  if (result.webhookEvent !== undefined || head === 'webhooks') return 'webhooks';
  const iface = result.interface ?? head!;
  if (second === 'errors') return `${iface}.errors`;
  if (result.operation && result.status !== 'unsupported') return `${iface}.${result.operation}`;
  return iface;
}

/** The configuration a case ran in, when it is not the fake's default: a named variant or an alternate base URL. */
export function variantOf(result: CaseResult): string | undefined {
  const named = (result as { variant?: unknown }).variant;
  if (typeof named === 'string' && named) return named;
  if (named && typeof named === 'object' && typeof (named as { name?: unknown }).name === 'string') return (named as { name: string }).name;
  return result.baseUrl;
}

function counts(results: CaseResult[]): string {
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  const parts = [`${count('pass')} passed`];
  if (count('fail')) parts.push(`${count('fail')} failed`);
  if (count('skip')) parts.push(`${count('skip')} skipped`);
  if (count('unsupported')) parts.push(`${count('unsupported')} unsupported`);
  return parts.join(', ');
}

/** The summary line of one provider's run. */
export function providerSummary(provider: string, results: CaseResult[], ms: number): string {
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  return `${provider}: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped, ${count('unsupported')} unsupported (${(ms / 1000).toFixed(1)} s)\n`;
}

export interface ProgressOptions {
  /** Where progress lines go (the terminal). */
  write: (text: string) => void;
  color: boolean;
}

/**
 * Progress of a run on a terminal: one line per case family of each provider (and
 * configuration variant) as it completes, with its counts and time. Cases arrive
 * family by family; a family is closed when the next one starts or the run ends.
 */
export class FamilyProgress {
  private family: string | undefined;
  private results: CaseResult[] = [];

  constructor(
    private readonly provider: string,
    private readonly options: ProgressOptions,
  ) {}

  /** Records one result; prints the previous family's line when this one starts a new family. */
  add(result: CaseResult): void {
    const variant = variantOf(result);
    const family = `${familyOf(result)}${variant ? ` @ ${variant}` : ''}`;
    if (family !== this.family) {
      this.flush();
      this.family = family;
    }
    this.results.push(result);
  }

  /** Prints the line of the family in progress, if any. */
  flush(): void {
    if (this.family === undefined || this.results.length === 0) return;
    const failed = this.results.some((r) => r.status === 'fail');
    const mark = failed ? (this.options.color ? '\u001b[31mFAIL\u001b[0m' : 'FAIL') : this.options.color ? '\u001b[32mok\u001b[0m' : 'ok';
    const ms = Math.round(this.results.reduce((sum, r) => sum + (r.durationMs ?? 0), 0));
    this.options.write(`  ${this.provider} ${this.family}: ${mark} ${counts(this.results)} (${ms} ms)\n`);
    this.family = undefined;
    this.results = [];
  }
}
