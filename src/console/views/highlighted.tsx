import type { Segment } from "./align-placeholders.js";

/** Text with placeholder pieces in `<mark>`; on the typed side the title names the placeholder a value became. */
export function Highlighted(props: { segments: Segment[]; side: "cloud" | "typed" }) {
  return (
    <>
      {props.segments.map((s) =>
        s.placeholder ? (
          <mark
            class={props.side === "cloud" ? "ph" : "ph-value"}
            data-ph={s.placeholder}
            title={props.side === "typed" ? `sent as ${s.placeholder}` : undefined}
          >
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </>
  );
}
