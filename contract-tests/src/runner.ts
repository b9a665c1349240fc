/** Everything for running the suite from a program, without vitest. */
export { runContractSuite, summarize } from './suite/run.js';
export { planContractCases, validateSkips } from './suite/plan.js';
export { executeCase } from './suite/execute.js';
export { ContractAssertionError } from './suite/assert.js';
export type { CaseContext, ListAllResult } from './suite/context.js';
export type { CaseFamily, CaseResult, CaseStatus, ContractCase, ContractReport, RunContractSuiteOptions } from './suite/types.js';
export { FAMILIES_OF_ASPECT, caseAffectedBy, suiteRuns, type SuiteRun } from './suite/variants.js';
export {
  DELIVERY_ROW, INTERFACE_ROW, buildManifestMatrix, buildMatrix, hasFailures,
  type ContractMatrix, type MatrixCell, type MatrixRow,
} from './report/matrix.js';
export { renderMatrixJson, renderMatrixMarkdown, renderMatrixText } from './report/render.js';
export { findSecretLeaks, findWireLeaks } from './cases/secrets.js';
export { fuzzBasesFromFake, fuzzProblems, fuzzWebhooks, percentile, type FuzzReport } from './cases/fuzz.js';
export type {
  ContractSkips, ContractSuiteOptions, CreateFake, FakeBackend, FakeObjectState, FakeVariant, FakeWebhookAction, VariantAspect, WireRequest,
} from './kit/types.js';
