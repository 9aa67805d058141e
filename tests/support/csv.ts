/**
 * A strict RFC 4180 reader for checking the CLI's `--csv` output: quoted fields may hold commas,
 * doubled quotes and line breaks; a stray quote or an unclosed field is an error, not a guess.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === '') {
      // A quoted field: runs to the quote that is not doubled.
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('CSV: a quoted field is not closed');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') throw new Error(`CSV: text after a closing quote at ${i}`);
      continue;
    }
    if (c === '"') throw new Error(`CSV: a quote inside an unquoted field at ${i}`);
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\n' || c === '\r') {
      endField();
      rows.push(row);
      row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** The rows of a CSV text as objects keyed by its header line; every row must have the header's width. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('CSV: no header line');
  return rows.map((row, n) => {
    if (row.length !== header.length) throw new Error(`CSV: row ${n + 1} has ${row.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((name, k) => [name, row[k] ?? '']));
  });
}
