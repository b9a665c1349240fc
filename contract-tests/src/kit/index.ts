export * from './types.js';
export { FakeClock, FakeCollection, FakeNotFound, createSequence, type FakeCollectionOptions } from './fake-store.js';
export {
  FakeInvalidCursor, keysetPage, linkHeader, pageSlice,
  type KeysetPageOptions, type LinkHeaderOptions, type PageSlice, type PageSliceLimits,
} from './pagination.js';
export { etagOf, notModified } from './etag.js';
export {
  itemAnswer, listAnswer, type AnswerHeaders, type ItemAnswerOptions, type ListAnswerOptions,
} from './rest-answers.js';
export {
  REDACTED, createRequestRecorder, scrubString, scrubValue, type RequestRecorder, type RequestRecorderOptions,
} from './recorder.js';
export { createFaultQueue, type FaultKind, type FaultQueue, type PendingFault } from './faults.js';
export {
  createFakeHandlers, json, type FakeHandlersOptions, type FakeMethod, type FakeRoute, type FakeRouteContext,
} from './fake-server.js';
export { flipLastChar, hmac, truncateJson } from './webhook-signing.js';
