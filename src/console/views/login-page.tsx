import { Layout } from "./layout.js";

export function LoginPage(props: { base: string; next?: string; error?: string }) {
  return (
    <Layout base={props.base} title="Sign in">
      <section class="login">
        <h1>Sign in</h1>
        <p class="muted">
          Paste the bearer token of a gateway user with the <code>admin</code> role. The token is checked
          once; the browser then keeps only a session cookie.
        </p>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action={`${props.base}/login`}>
          <label for="token">Token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <button type="submit">Sign in</button>
        </form>
      </section>
    </Layout>
  );
}
