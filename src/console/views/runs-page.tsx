import type { RunSummary } from "../../traces/run-record.js";
import { RUN_STATUSES } from "../../traces/run-record.js";
import type { RunPage, TraceStoreLimits, TraceStoreStats } from "../../traces/trace-store.js";
import { formatBytes, formatInt, formatMs, formatTime } from "./format.js";
import { TableHead } from "./table-head.js";
import { Layout, type PageChrome } from "./layout.js";
import { StatusBadge } from "./status-badge.js";

/** The filter form's values, as strings from the query string. */
export interface RunsFilter {
  user?: string;
  agent?: string;
  status?: string;
  blocked?: string;
  from?: string;
  to?: string;
  minMs?: string;
  limit?: string;
}

export interface RunsPageProps extends PageChrome {
  page: RunPage;
  filter: RunsFilter;
  facets: { users: string[]; agents: string[] };
  stats: TraceStoreStats;
  limits: TraceStoreLimits;
}

export function RunsPage(props: RunsPageProps) {
  const { base, filter, page } = props;
  const link = (cursor: string) => `${base}/runs?${new URLSearchParams({ ...clean(filter), cursor })}`;
  return (
    <Layout {...props} active="runs">
      <h1>Runs</h1>
      <p class="muted store-stats">
        {formatInt(props.stats.runs)} runs kept ({formatBytes(props.stats.bytes)} of{" "}
        {formatBytes(props.limits.maxStoreBytes)}
        ), retention {props.limits.retentionDays} days
        {props.stats.oldest ? `, oldest ${formatTime(props.stats.oldest)}` : ""}. Times are UTC.
      </p>
      <form method="get" action={`${base}/runs`} class="filters" id="run-filters">
        <Select name="user" label="User" value={filter.user} options={props.facets.users} />
        <Select name="agent" label="Agent" value={filter.agent} options={props.facets.agents} />
        <Select name="status" label="Status" value={filter.status} options={[...RUN_STATUSES]} />
        <Select name="blocked" label="Blocked?" value={filter.blocked} options={["yes", "no"]} />
        <label>
          From <input type="datetime-local" name="from" value={filter.from} step="1" />
        </label>
        <label>
          To <input type="datetime-local" name="to" value={filter.to} step="1" />
        </label>
        <label>
          Slower than (ms) <input type="number" name="minMs" min="0" value={filter.minMs} />
        </label>
        <Select
          name="limit"
          label="Per page"
          value={filter.limit}
          options={["25", "50", "100", "200"]}
          any="50"
        />
        <button type="submit">Filter</button>
        <a href={`${base}/runs`}>Reset</a>
      </form>
      {page.runs.length === 0 ? (
        <p class="empty">No runs match.</p>
      ) : (
        <table class="runs">
          <TableHead
            columns={[
              "Time",
              "User",
              "Agent",
              "Status",
              "Duration#",
              "Cloud tokens#",
              "Local tokens#",
              "Blocked?",
            ]}
          />
          <tbody>
            {page.runs.map((r) => (
              <RunRow base={base} run={r} />
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager">
        {page.newer ? (
          <a href={link(page.newer)} rel="prev">
            ← Newer
          </a>
        ) : (
          <span />
        )}
        {page.older ? (
          <a href={link(page.older)} rel="next">
            Older →
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}

function RunRow(props: { base: string; run: RunSummary }) {
  const r = props.run;
  return (
    <tr data-run={r.id} class={r.blocked ? "blocked" : undefined}>
      <td>
        <a href={`${props.base}/runs/${encodeURIComponent(r.id)}`}>{formatTime(r.startedAt)}</a>
      </td>
      <td>{r.userId}</td>
      <td>{r.agent}</td>
      <td>
        <StatusBadge status={r.status} />
        {r.errorCode && !r.blocked ? <span class="code"> {r.errorCode}</span> : null}
      </td>
      <td class="num">{formatMs(r.durationMs)}</td>
      <td class="num">{formatInt(r.cloudTokens)}</td>
      <td class="num">{formatInt(r.localTokens)}</td>
      <td>{r.blocked ? <span class="badge status-blocked">blocked</span> : "no"}</td>
    </tr>
  );
}

function Select(props: { name: string; label: string; value?: string; options: string[]; any?: string }) {
  return (
    <label>
      {props.label}{" "}
      <select name={props.name}>
        <option value="">{props.any ?? "any"}</option>
        {(props.value && !props.options.includes(props.value)
          ? [props.value, ...props.options]
          : props.options
        )
          .filter((o) => o !== props.any)
          .map((o) => (
            <option value={o} selected={o === props.value}>
              {o}
            </option>
          ))}
      </select>
    </label>
  );
}

function clean(filter: RunsFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter).filter(([, v]) => typeof v === "string" && v !== ""),
  ) as Record<string, string>;
}
