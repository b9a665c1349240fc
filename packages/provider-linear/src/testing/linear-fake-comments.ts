import { connection, linearError, notFound, type ConnectionArgs } from './linear-fake-connections.js';
import { newId, type FakeComment } from './linear-fake-objects.js';
import type { FakeResolverMap } from './linear-fake-resolvers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Comments: lookup, create with a client id, update. */
export function commentResolvers(): FakeResolverMap {
  return {
    Query: {
      comment: (_p, args: { id?: string | null }, s) => (args.id ? s.comments.get(args.id) : undefined) ?? (() => { throw notFound('Comment'); })(),
      comments: (_p, args: ConnectionArgs, s) => connection('Comment', s.comments.list(), args, s),
    },
    Mutation: {
      commentCreate(_p, args: { input: Record<string, any> }, s) {
        const input = args.input;
        if (input.id !== undefined && input.id !== null) {
          if (!UUID.test(input.id)) throw linearError('id must be a UUID', 'invalid input', 'INPUT_ERROR', 'The id must be a UUID v4.');
          if (s.comments.get(input.id)) {
            throw linearError('duplicate key value violates unique constraint "comment_pkey"', 'invalid input', 'INPUT_ERROR', 'A comment with this id already exists.');
          }
        }
        const issue = input.issueId ? s.findIssue(input.issueId) : undefined;
        if (!issue) throw notFound('Issue');
        const at = s.tick();
        const comment = s.comments.insert({ id: input.id ?? newId(), body: input.body ?? '', issueId: issue.id, userId: s.viewer.id, createdAt: at, updatedAt: at, editedAt: null, archivedAt: null });
        return { success: true, lastSyncId: 1, comment };
      },
      commentUpdate(_p, args: { id: string; input: Record<string, any> }, s) {
        const comment = s.comments.get(args.id);
        if (!comment) throw notFound('Comment');
        const at = s.tick();
        return { success: true, lastSyncId: 1, comment: s.comments.update(comment.id, { body: args.input.body ?? comment.body, updatedAt: at, editedAt: at }) };
      },
    },
    Comment: {
      user: (c: FakeComment, _a, s) => (c.userId ? s.users.get(c.userId) : null),
      issue: (c: FakeComment, _a, s) => s.issues.get(c.issueId) ?? null,
      issueId: (c: FakeComment) => c.issueId,
      url: (c: FakeComment, _a, s) => s.commentUrl(c),
    },
  };
}
