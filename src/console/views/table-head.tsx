/** A table's header row; columns named with a trailing `#` hold numbers (right-aligned). */
export function TableHead(props: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((c) =>
          c.endsWith("#") ? (
            <th scope="col" class="num">
              {c.slice(0, -1)}
            </th>
          ) : (
            <th scope="col">{c}</th>
          ),
        )}
      </tr>
    </thead>
  );
}
