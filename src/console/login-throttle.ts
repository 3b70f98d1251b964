/**
 * Slows down token guessing at the login form: after `maxFailures` failed sign-ins from one
 * client address within `windowMs`, further attempts from it are refused until the window
 * passes. Bounded memory: at most `maxClients` addresses are tracked (the oldest are forgotten).
 */
export function createLoginThrottle(
  options: { maxFailures?: number; windowMs?: number; maxClients?: number; now?: () => number } = {},
) {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (client: string) => {
    const t = now();
    const list = (failures.get(client) ?? []).filter((at) => at > t - windowMs);
    if (list.length) failures.set(client, list);
    else failures.delete(client);
    return list;
  };
  return {
    /** Seconds to wait before trying again, or 0 when allowed. */
    retryAfter(client: string): number {
      const list = recent(client);
      return list.length >= maxFailures ? Math.max(1, Math.ceil((list[0] + windowMs - now()) / 1000)) : 0;
    },
    fail(client: string): void {
      const list = recent(client);
      list.push(now());
      failures.delete(client);
      failures.set(client, list);
      while (failures.size > maxClients) failures.delete(failures.keys().next().value!);
    },
    succeed(client: string): void {
      failures.delete(client);
    },
  };
}
