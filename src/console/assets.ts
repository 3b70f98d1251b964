import { createHash } from "node:crypto";

/**
 * The console's stylesheet and script, served by flm itself (no CDN, no build step): small enough
 * to ship as strings, cached forever under a content-hashed name.
 */
export const CONSOLE_CSS = `
:root{--fg:#1d232b;--muted:#5d6875;--line:#d9dee4;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf;
--ok:#1e7d3b;--err:#b42318;--blk:#8a3ffc;--cancel:#6b7280;--ph:#fff1b8;--phb:#e0b100}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
header.top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#14213d;color:#fff}
header.top a{color:#dbe4ff;text-decoration:none}
header.top .brand{font-weight:700;color:#fff}
header.top nav{display:flex;gap:16px;flex:1}
header.top nav a.active{color:#fff;border-bottom:2px solid #ffd166}
.logout{display:flex;gap:8px;align-items:center;margin-left:auto}
.logout .who{color:#dbe4ff}
main{max-width:1280px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0 12px}
h2{font-size:16px;margin:24px 0 8px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:12px 0}
section>h2:first-child,section>div>h2:first-child{margin-top:0}
.muted{color:var(--muted)}
.empty{color:var(--muted);font-style:italic}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;background:#eef1f5}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.blocked td{background:#f7f0ff}
tr.hl td,tr:target td{background:#fff8db}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--cancel)}
.status-ok{background:var(--ok)}.grounding-ok{background:var(--ok)}.grounding-flagged{background:#b45309}.status-error,.status-failed,.status-timeout{background:var(--err)}
.status-blocked,.decision-blocked.badge{background:var(--blk)}.decision-allowed.badge{background:var(--ok)}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;margin:12px 0;padding:12px;background:var(--card);border:1px solid var(--line);border-radius:8px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
input,select,button{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:4px;background:#fff;color:var(--fg)}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
button[disabled]{opacity:.6;cursor:progress}
.pager{display:flex;justify-content:space-between;margin:12px 0}
.facts{display:flex;flex-wrap:wrap;gap:8px 24px;margin:8px 0}
.facts div{min-width:120px}.facts dt{font-size:12px;color:var(--muted)}.facts dd{margin:0;word-break:break-all}
.facts.small{font-size:12px}
.callout{border-radius:6px;padding:8px 12px;margin:12px 0;border:1px solid var(--line);background:#fff}
.callout.error{border-color:#f3b8b2;background:#fff4f2}.callout.blocked{border-color:#d5c2ff;background:#f7f0ff}
.callout.ok{border-color:#a8dab5;background:#f1fbf4}.callout.note{background:#fffbea;border-color:#f5e3a3}
.prompts{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.prompts h2{margin-top:0}
pre.prompt{background:#f8fafc;border:1px solid var(--line);border-radius:6px;padding:8px;max-height:360px;overflow:auto}
mark.ph{background:var(--ph);outline:1px solid var(--phb);border-radius:3px;padding:0 2px}
mark.ph-value{background:#e3ecff;outline:1px solid #9db6f0;border-radius:3px;padding:0 2px}
pre.args{max-width:520px;max-height:160px;overflow:auto}
.step-error{color:var(--err);margin-top:4px}
.plan-graph,.timeline{display:block;max-width:100%;height:auto;margin:8px 0;background:#fbfcfd;border:1px solid var(--line);border-radius:6px}
.plan-graph .node rect{fill:#fff;stroke:#8592a3;stroke-width:1.5}
.plan-graph .node.status-ok rect{stroke:var(--ok);fill:#effaf2}
.plan-graph .node.status-failed rect,.plan-graph .node.status-timeout rect{stroke:var(--err);fill:#fff2f0}
.plan-graph .node.status-skipped rect,.plan-graph .node.status-cancelled rect{stroke:var(--cancel);fill:#f3f4f6;stroke-dasharray:4 3}
.plan-graph .node.hl rect,.plan-graph .node:focus rect{stroke:var(--accent);stroke-width:3}
.plan-graph .node text{fill:var(--fg);font-size:12px}.plan-graph .node .node-id{font-weight:700}
.plan-graph .node .node-tool{fill:var(--muted);font-family:ui-monospace,monospace;font-size:11px}
.plan-graph .edge path{fill:none;stroke:#6b7a8c;stroke-width:1.5}
.plan-graph .arrow-head{fill:#6b7a8c}
.plan-graph .edge-label{font-size:10.5px;fill:#44505e;font-family:ui-monospace,monospace;paint-order:stroke;stroke:#fbfcfd;stroke-width:4px}
.timeline text{font-size:11px;fill:var(--fg)}.timeline .tick line{stroke:#e5e8ec}.timeline .tick text{fill:var(--muted)}
.timeline rect{fill:#8aa4c8}.timeline .bar-planner rect{fill:#c08a2b}.timeline .bar-pseudonymize rect{fill:#b69ae0}
.timeline .bar-step rect{fill:#3f8f5a}.timeline .bar-step.status-failed rect,.timeline .bar-step.status-timeout rect{fill:var(--err)}
.timeline .bar-context rect{fill:#5f7fa8}.timeline .bar-answer rect{fill:#2f5fa8}
.timeline .bar.hl rect{stroke:#111;stroke-width:2}
.timeline .bar-value{fill:var(--muted)}
article.egress{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:8px 0}
pre.egress-body{background:#f8fafc;border:1px solid var(--line);border-radius:6px;padding:8px;max-height:420px;overflow:auto}
.answer{white-space:pre-wrap;background:#f8fafc;border:1px solid var(--line);border-radius:6px;padding:8px}
a.cite{font-weight:700;text-decoration:none;background:#e3ecff;border-radius:3px;padding:0 3px}
a.cite.hl{background:#ffd166}
.login{max-width:420px;margin:48px auto}
.login form{display:flex;flex-direction:column;gap:8px}
.error{color:var(--err)}
.crumbs{margin:0;color:var(--muted)}
@media (max-width:800px){.prompts{grid-template-columns:1fr}}
`;

export const CONSOLE_JS = `"use strict";
// flm console: small enhancements only; every page works without this script.
(function () {
  function same(el) {
    var id = el.getAttribute("data-step");
    return document.querySelectorAll('[data-step="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]');
  }
  function mark(e, on) {
    var el = e.target && e.target.closest ? e.target.closest("[data-step]") : null;
    if (!el) return;
    same(el).forEach(function (x) { x.classList.toggle("hl", on); });
  }
  document.addEventListener("mouseover", function (e) { mark(e, true); });
  document.addEventListener("mouseout", function (e) { mark(e, false); });
  document.addEventListener("focusin", function (e) { mark(e, true); });
  document.addEventListener("focusout", function (e) { mark(e, false); });
  document.addEventListener("DOMContentLoaded", function () {
    var verify = document.getElementById("verify-form");
    if (verify) verify.addEventListener("submit", function () {
      var b = verify.querySelector("button");
      if (b) { b.disabled = true; b.textContent = "Verifying\\u2026"; }
    });
    var filters = document.getElementById("run-filters");
    if (filters) filters.querySelectorAll("select").forEach(function (s) {
      s.addEventListener("change", function () { filters.requestSubmit ? filters.requestSubmit() : filters.submit(); });
    });
  });
})();
`;

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);

export const ASSETS = {
  css: { name: `console.${hash(CONSOLE_CSS)}.css`, body: CONSOLE_CSS, type: "text/css; charset=utf-8" },
  js: { name: `console.${hash(CONSOLE_JS)}.js`, body: CONSOLE_JS, type: "text/javascript; charset=utf-8" },
} as const;

export function assetUrl(base: string, kind: keyof typeof ASSETS): string {
  return `${base}/assets/${ASSETS[kind].name}`;
}
