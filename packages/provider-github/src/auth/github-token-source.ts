/**
 * Where the credentials of one Octokit come from. A source hands out a token and,
 * when GitHub refuses it with 401, can mint a fresh one (once per refused token).
 */
export interface GitHubTokenSource {
  /** `Authorization` scheme: `token` for installation, personal and OAuth tokens, `bearer` for app JWTs. */
  readonly scheme: 'token' | 'bearer';
  /** The current token (cached; minted when missing or close to expiry). */
  get(): Promise<string>;
  /**
   * A fresh token after GitHub refused `stale`. When another caller already replaced
   * `stale`, returns that replacement without minting again. Absent for sources that
   * cannot refresh (a personal token).
   */
  refresh?(stale: string): Promise<string>;
}

/**
 * Runs `mint` at most once at a time: callers arriving while a mint is in flight get
 * the same promise (single flight), so twenty concurrent calls cause one token request.
 */
export function singleFlight<T>(mint: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= mint().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

/** A token source over a fixed token (personal access token, OAuth user token). */
export function staticTokenSource(token: () => Promise<string>): GitHubTokenSource {
  return { scheme: 'token', get: token };
}
