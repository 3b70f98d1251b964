/** The answer with each cited step id (`[s2]`, `[s1, s3]`) linked to that step. */
export function Answer(props: { text: string; stepIds: string[] }) {
  const known = new Set(props.stepIds);
  const parts: Array<string | ReturnType<typeof Cite>> = [];
  let at = 0;
  for (const group of props.text.matchAll(/\[([^\]]{1,200})\]/g)) {
    const ids = group[1].match(/[A-Za-z][\w-]*/g) ?? [];
    if (!ids.some((id) => known.has(id))) continue;
    parts.push(props.text.slice(at, group.index));
    parts.push("[");
    let inner = 0;
    for (const m of group[1].matchAll(/[A-Za-z][\w-]*/g)) {
      parts.push(group[1].slice(inner, m.index));
      parts.push(known.has(m[0]) ? Cite({ id: m[0] }) : m[0]);
      inner = m.index + m[0].length;
    }
    parts.push(group[1].slice(inner), "]");
    at = group.index + group[0].length;
  }
  parts.push(props.text.slice(at));
  return <div class="answer">{parts}</div>;
}

function Cite(props: { id: string }) {
  return (
    <a href={`#step-${props.id}`} class="cite" data-step={props.id}>
      {props.id}
    </a>
  );
}
