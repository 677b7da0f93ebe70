/**
 * Every suite on the real single-node cluster (fixtures/realNode.ts), in one process on one node
 * (fixtures/sharedNode.ts): the node starts at the first suite's before() and stops after the last suite. Each
 * suite (test/e2e/realNode/*.ts) registers its describe() when imported, has its own namespace, broker and Pulumi
 * stack, removes them after itself, and skips with its own printed reason; none depends on another's outcome.
 * A new suite: one more import here (see the header of fixtures/sharedNode.ts).
 */
import "./realNode/pods";
import "./realNode/workers";
import "./realNode/stack";
import "./realNode/database";
