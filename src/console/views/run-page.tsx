import type { EgressRecord } from "../../core/egress-record.js";
import type { StepTrace } from "../../core/trace.js";
import type { RunRecord } from "../../traces/run-record.js";
import { alignTyped, splitPlaceholders } from "./align-placeholders.js";
import { Answer } from "./answer.js";
import { formatBytes, formatInt, formatMs, formatTime } from "./format.js";
import { Highlighted } from "./highlighted.js";
import { TableHead } from "./table-head.js";
import { Layout, type PageChrome } from "./layout.js";
import { PlanGraph } from "./plan-graph.js";
import { GroundingBadge } from "./grounding-badge.js";
import { StatusBadge } from "./status-badge.js";
import { Timeline } from "./timeline.js";

/** One run: prompt as typed beside prompt as the cloud saw it, plan graph, timeline, egress, answer. */
export function RunPageView(props: PageChrome & { run: RunRecord }) {
  const { run, base } = props;
  const t = run.trace;
  return (
    <Layout {...props} active="runs">
      <p class="crumbs">
        <a href={`${base}/runs`}>Runs</a> / <code>{run.id}</code>
      </p>
      <h1>
        Run <StatusBadge status={run.status} /> <GroundingBadge grounding={t.grounding} />
      </h1>
      <dl class="facts">
        <Fact name="Started" value={formatTime(run.startedAt)} />
        <Fact name="User" value={run.userId} />
        <Fact name="Agent" value={run.agent} />
        <Fact name="Duration" value={formatMs(run.durationMs)} />
        <Fact name="Planner" value={`${t.planner}${t.repairs ? ` (${t.repairs} repairs)` : ""}`} />
        <Fact
          name="Cloud tokens"
          value={`${formatInt(run.usage.cloud.inputTokens)} in / ${formatInt(run.usage.cloud.outputTokens)} out`}
        />
        <Fact
          name="Local tokens"
          value={`${formatInt(run.usage.local.inputTokens)} in / ${formatInt(run.usage.local.outputTokens)} out`}
        />
        {run.historyTurns ? <Fact name="Earlier turns" value={String(run.historyTurns)} /> : null}
        {t.grounding ? (
          <Fact
            name="Grounding"
            value={`${Math.round(t.grounding.score * 100)}% of ${t.grounding.checked} value(s)${
              t.grounding.ungrounded.length
                ? `; not in the context: ${t.grounding.ungrounded.map((u) => u.text).join(", ")}`
                : ""
            }`}
          />
        ) : null}
      </dl>
      {run.error ? (
        <div class={`callout ${run.status === "blocked" ? "blocked" : "error"}`} role="alert">
          <strong>{run.status === "blocked" ? "Blocked" : "Failed"}</strong> <code>{run.error.code}</code>:{" "}
          {run.error.message}
          {run.status === "blocked" ? (
            <p class="muted">A blocked run keeps no prompt, answer or blocked body; only sizes and hashes.</p>
          ) : null}
        </div>
      ) : null}
      {t.warnings?.length ? (
        <div class="callout note warnings">
          {t.warnings.map((w) => (
            <p>
              <strong>{w.kind}</strong>: {w.message}
            </p>
          ))}
        </div>
      ) : null}
      {run.truncated ? (
        <p class="callout note">
          This trace was {formatBytes(run.truncated.originalBytes)} and was cut to the store's per-trace
          limit; cut text ends with “…[cut by flm …]”. Egress sizes and hashes are those of the original
          bytes.
        </p>
      ) : null}
      <Prompts run={run} />
      <section id="plan">
        <h2>Plan</h2>
        {t.plan ? <PlanGraph plan={t.plan} steps={t.steps} /> : <p class="muted">No valid plan was made.</p>}
        {t.steps.length ? <StepsTable steps={t.steps} /> : null}
      </section>
      <section id="timeline">
        <h2>Timeline</h2>
        <Timeline trace={t} />
      </section>
      <section id="egress">
        <h2>Cloud requests</h2>
        {t.egress.length === 0 ? (
          <p class="muted">Nothing was sent to a cloud model.</p>
        ) : (
          t.egress.map((e, i) => <EgressBlock base={base} runId={run.id} index={i} egress={e} />)
        )}
      </section>
      <section id="answer">
        <h2>Answer</h2>
        {run.answer !== undefined ? (
          <Answer text={run.answer} stepIds={t.steps.map((s) => s.id)} />
        ) : (
          <p class="muted">No answer was stored for this run.</p>
        )}
        {t.context ? (
          <p class="muted context">
            Context: {t.context.strategy}, {formatInt(t.context.tokens)} of {formatInt(t.context.budget)}{" "}
            tokens; steps used {t.context.includedSteps.join(", ") || "none"}
            {t.context.droppedSteps.length ? `; dropped ${t.context.droppedSteps.join(", ")}` : ""}.
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

function Fact(props: { name: string; value: string }) {
  return (
    <div>
      <dt>{props.name}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

function Prompts(props: { run: RunRecord }) {
  const { prompt } = props.run;
  const cloudPrompt = props.run.trace.plannerPrompt;
  if (prompt === undefined && cloudPrompt === undefined) {
    return (
      <section id="prompt">
        <h2>Prompt</h2>
        <p class="muted">Not stored for this run.</p>
      </section>
    );
  }
  const cloud = cloudPrompt !== undefined ? splitPlaceholders(cloudPrompt) : undefined;
  const typed =
    prompt !== undefined ? ((cloud && alignTyped(prompt, cloud)) ?? [{ text: prompt }]) : undefined;
  return (
    <section id="prompt" class="prompts">
      <div>
        <h2>As typed</h2>
        <pre class="prompt typed">
          {typed ? <Highlighted segments={typed} side="typed" /> : "(not stored)"}
        </pre>
      </div>
      <div>
        <h2>
          {props.run.trace.planner.startsWith("local")
            ? "As the local planner saw it"
            : "As the cloud saw it"}
        </h2>
        <pre class="prompt cloud">
          {cloud ? <Highlighted segments={cloud} side="cloud" /> : "(not stored)"}
        </pre>
      </div>
    </section>
  );
}

function StepsTable(props: { steps: StepTrace[] }) {
  return (
    <table class="steps">
      <TableHead columns={["Step", "Tool", "Arguments (as planned)", "Status", "Duration#"]} />
      <tbody>
        {props.steps.map((s) => (
          <tr id={`step-${s.id}`} data-step={s.id}>
            <td>
              <code>{s.id}</code>
            </td>
            <td>{s.tool}</td>
            <td>
              <pre class="args">
                <Highlighted segments={splitPlaceholders(JSON.stringify(s.args))} side="cloud" />
              </pre>
            </td>
            <td>
              <StatusBadge status={s.status} />
              {s.truncated ? <span class="muted"> (output cut)</span> : null}
              {s.error ? (
                <div class="step-error">
                  <code>{s.error.code}</code> {s.error.message}
                </div>
              ) : null}
            </td>
            <td class="num">{formatMs(s.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EgressBlock(props: { base: string; runId: string; index: number; egress: EgressRecord }) {
  const e = props.egress;
  return (
    <article class={`egress decision-${e.decision}`} data-host={e.host}>
      <header>
        <span class={`badge decision-${e.decision}`}>{e.decision}</span> <strong>{e.purpose}</strong> →{" "}
        <code class="host">{e.host}</code> <span class="muted">{formatTime(e.at)}</span>
      </header>
      <dl class="facts small">
        <Fact name="URL" value={e.url} />
        <Fact name="Bytes" value={formatInt(e.bytes)} />
        <Fact name="SHA-256" value={e.sha256} />
      </dl>
      {e.decision === "blocked" ? (
        <p class="muted">Not sent: the egress guard refused it. Its body is not kept.</p>
      ) : (
        <>
          <pre class="egress-body">
            <Highlighted segments={splitPlaceholders(e.body)} side="cloud" />
          </pre>
          <a href={`${props.base}/runs/${encodeURIComponent(props.runId)}/egress/${props.index}`} download>
            Download the body
          </a>
        </>
      )}
    </article>
  );
}
