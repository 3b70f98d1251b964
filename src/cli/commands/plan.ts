import { redactSecrets } from "../../config/redact-secrets.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../exit-codes.js";
import { type GlobalOptions, localCaller, openRuntime } from "../open-runtime.js";

/** `flm plan`: a dry run. Prints the exact bytes sent to the planner and the plan; runs no tool. */
export async function planCommand(
  prompt: string,
  options: { json?: boolean },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  if (!prompt?.trim()) throw new UsageError("The prompt is empty.", 'Usage: flm plan "your question"');
  const { runtime } = await openRuntime(globals, io);
  try {
    const { plan, trace } = await runtime.agent.plan(prompt, { user: localCaller() });
    if (options.json) {
      io.out.write(
        `${JSON.stringify(redactSecrets({ plan, egress: trace.egress, planner: trace.planner }, io.secrets), null, 2)}\n`,
      );
      return;
    }
    io.print(`── privacy: ${runtime.privacy ? runtime.privacy.mode : "off"}`);
    if (trace.egress.length === 0) {
      io.print(`── nothing would leave this machine (planner: ${trace.planner})`);
    }
    for (const [i, e] of trace.egress.entries()) {
      io.print(
        `── request ${i + 1} to ${e.url} (${e.purpose}, ${e.bytes} bytes, sha256 ${e.sha256.slice(0, 16)}…, ${e.decision})`,
      );
      io.print(e.body);
    }
    io.print(
      `── plan (${plan.steps.length} step(s), ${trace.planner}${trace.repairs ? `, ${trace.repairs} repair(s)` : ""}); no tool was run`,
    );
    io.print(JSON.stringify(plan, null, 2));
  } finally {
    await runtime.close();
  }
}
