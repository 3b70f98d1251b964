import type { RunPage } from "../../traces/trace-store.js";
import type { AuditState, AuditVerification, BlockedEgress } from "../console-audit.js";
import { formatInt, formatTime } from "./format.js";
import { TableHead } from "./table-head.js";
import { Layout, type PageChrome } from "./layout.js";

export interface EgressPageProps extends PageChrome {
  blocked: RunPage;
  /** Absent when no audit log is configured. */
  audit?: {
    state?: AuditState;
    blocked: BlockedEgress[];
    verification?: AuditVerification;
    /** The audit store could not be read (shown, never thrown). */
    error?: string;
  };
}

/** Blocked requests with their reasons (never a body), the audit chain's state and "verify now". */
export function EgressPage(props: EgressPageProps) {
  const { base, blocked, audit } = props;
  const runLink = (id: string) => `${base}/runs/${encodeURIComponent(id)}`;
  return (
    <Layout {...props} active="egress">
      <h1>Egress &amp; audit</h1>
      <section id="blocked">
        <h2>Blocked requests</h2>
        <p class="muted">
          Runs the privacy policy or the egress guard refused. The reason names entity types and where they
          came from; the refused body is never kept.
        </p>
        {blocked.runs.length === 0 ? (
          <p class="empty">No blocked runs in the retention window.</p>
        ) : (
          <table class="blocked-runs">
            <TableHead columns={["Time", "User", "Agent", "Code", "Reason"]} />
            <tbody>
              {blocked.runs.map((r) => (
                <tr data-run={r.id}>
                  <td>
                    <a href={runLink(r.id)}>{formatTime(r.startedAt)}</a>
                  </td>
                  <td>{r.userId}</td>
                  <td>{r.agent}</td>
                  <td>
                    <code>{r.errorCode}</code>
                  </td>
                  <td>{r.errorMessage}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {blocked.older ? (
          <nav class="pager">
            <a href={`${base}/egress?${new URLSearchParams({ cursor: blocked.older })}`}>Older →</a>
          </nav>
        ) : null}
      </section>
      <section id="audit">
        <h2>Audit log</h2>
        {!audit ? (
          <p class="muted">
            No audit log is configured. Add <code>audit: {"{ path: …, keyPath: … }"}</code> to the config to
            keep a signed, hash-chained record of every request that leaves.
          </p>
        ) : (
          <AuditPanel base={base} csrf={props.user?.csrf ?? ""} audit={audit} runLink={runLink} />
        )}
      </section>
    </Layout>
  );
}

function AuditPanel(props: {
  base: string;
  csrf: string;
  audit: NonNullable<EgressPageProps["audit"]>;
  runLink: (id: string) => string;
}) {
  const { state, blocked, verification, error } = props.audit;
  return (
    <>
      {error ? (
        <p class="callout error" role="alert">
          {error}
        </p>
      ) : null}
      {state ? (
        <dl class="facts audit-state">
          <div>
            <dt>Store</dt>
            <dd>{state.kind}</dd>
          </div>
          <div>
            <dt>Records</dt>
            <dd>{formatInt(state.records)}</dd>
          </div>
          <div>
            <dt>Head hash</dt>
            <dd>
              <code>{state.headHash ?? "(empty)"}</code>
            </dd>
          </div>
          <div>
            <dt>Checkpoints</dt>
            <dd>
              {formatInt(state.checkpoints)}
              {state.latestCheckpoint
                ? `; latest #${state.latestCheckpoint.id} covers ${formatInt(state.latestCheckpoint.size)} records (${formatTime(state.latestCheckpoint.at)})`
                : "; none signed yet"}
            </dd>
          </div>
          <div>
            <dt>Bodies</dt>
            <dd>{state.storeBodies ? "pseudonymized bodies kept" : "SHA-256 only"}</dd>
          </div>
        </dl>
      ) : null}
      <form method="post" action={`${props.base}/audit/verify`} class="verify" id="verify-form">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit">Verify now</button>
        <span class="muted">
          {" "}
          Recomputes the hash chain and checks the signed checkpoints (as flm audit verify).
        </span>
      </form>
      {verification ? (
        <div class={`callout ${verification.ok ? "ok" : "error"}`} id="verify-result" role="status">
          <strong>{verification.ok ? "Verified" : "Verification FAILED"}</strong>{" "}
          <span class="muted">at {formatTime(verification.at)}</span>
          <pre>{verification.text}</pre>
        </div>
      ) : null}
      <h3>Blocked egress in the audit log</h3>
      {blocked.length === 0 ? (
        <p class="empty">No blocked egress among the newest records.</p>
      ) : (
        <table class="audit-blocked">
          <TableHead columns={["Seq#", "Time", "Host", "Purpose", "Reason", "User", "Run"]} />
          <tbody>
            {blocked.map((b) => (
              <tr>
                <td class="num">{b.seq}</td>
                <td>{formatTime(b.at)}</td>
                <td>
                  <code>{b.host}</code>
                </td>
                <td>{b.purpose}</td>
                <td>{b.reason ?? ""}</td>
                <td>{b.userId ?? ""}</td>
                <td>{b.runId ? <a href={props.runLink(b.runId)}>{b.runId.slice(0, 8)}</a> : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
