import type { Child } from "hono/jsx";
import { assetUrl } from "../assets.js";

export interface PageChrome {
  base: string;
  title: string;
  /** Signed-in user and the CSRF token for the logout form; absent on the login page. */
  user?: { id: string; csrf: string };
  active?: "runs" | "egress";
}

export function Layout(props: PageChrome & { children: Child }) {
  const { base } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <link rel="icon" href="data:," />
        <title>{`${props.title} · flm console`}</title>
        <link rel="stylesheet" href={assetUrl(base, "css")} />
        <script src={assetUrl(base, "js")} defer />
      </head>
      <body>
        <header class="top">
          <a class="brand" href={`${base}/runs`}>
            flm console
          </a>
          {props.user ? (
            <nav>
              <a href={`${base}/runs`} class={props.active === "runs" ? "active" : undefined}>
                Runs
              </a>
              <a href={`${base}/egress`} class={props.active === "egress" ? "active" : undefined}>
                Egress &amp; audit
              </a>
            </nav>
          ) : null}
          {props.user ? (
            <form method="post" action={`${base}/logout`} class="logout">
              <span class="who">{props.user.id}</span>
              <input type="hidden" name="_csrf" value={props.user.csrf} />
              <button type="submit">Log out</button>
            </form>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
