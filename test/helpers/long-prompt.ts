/** A 20 KB prompt with people, organisations and places spread all over it (no shared data needed). */
export function longPrompt(chars = 20_000): string {
  const people = ["Maria Keller", "Jonas Brandt", "Aiko Tanaka", "Dr. Peter Novak", "Fatima Haddad"];
  const orgs = [
    "Stillwater Supercomputing Inc.",
    "Glover, Ruiz and Armstrong",
    "Acme Holdings",
    "Civic Impulse LLC",
  ];
  const places = ["Lisbon", "Germany", "New Zealand", "Toronto", "Kenya"];
  const lines: string[] = [];
  for (let i = 0; lines.join("\n").length < chars; i++) {
    const p = people[i % people.length]!;
    const o = orgs[(i * 3) % orgs.length]!;
    const l = places[(i * 7) % places.length]!;
    lines.push(
      `Hi ${p}, invoice ${1000 + i} from ${o} in ${l} is due; please check the totals for March and send them to my manager today.`,
    );
  }
  return lines.join("\n").slice(0, chars);
}
