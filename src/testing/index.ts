/**
 * federated-lm/testing: what we test flm with, for people writing their own sources and planners.
 * Protocol-level fake model servers (real HTTP on 127.0.0.1, scripted per test, recording every
 * byte received) and the shared contract suites. The contract suites import `vitest` (an optional
 * peer dependency): import this entry from test files only. Nothing here is reachable from the
 * package root.
 */
export {
  anthropicReply,
  type AnthropicReply,
  type FakeAnthropicServer,
  startFakeAnthropicServer,
} from "./fake-anthropic-server.js";
export {
  type FakeGoogleServer,
  googleModelOf,
  googleReply,
  type GoogleReply,
  startFakeGoogleServer,
} from "./fake-google-server.js";
export {
  type FakeOllamaServer,
  type OllamaRecordedRequest,
  type OllamaReply,
  ollamaReply,
  startFakeOllamaServer,
} from "./fake-ollama-server.js";
export {
  type FakeOpenAIServer,
  type RecordedRequest,
  type Reply,
  reply,
  startFakeOpenAIServer,
} from "./fake-openai-server.js";
export { type RecordedHttpRequest, type ScriptedServer, startScriptedServer } from "./http-test-utils.js";
export { contractTools, type PlannerFixture, plannerContract } from "./planner-contract.js";
export { type ContractFixture, toolSourceContract } from "./tool-source-contract.js";
