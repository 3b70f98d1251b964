import { Layout, type PageChrome } from "./layout.js";

/** A page that only says something: not found, forbidden, a bad filter. */
export function MessagePage(props: PageChrome & { heading: string; message: string; hint?: string }) {
  return (
    <Layout {...props}>
      <section class="message">
        <h1>{props.heading}</h1>
        <p role="alert">{props.message}</p>
        {props.hint ? <p class="muted">{props.hint}</p> : null}
      </section>
    </Layout>
  );
}
