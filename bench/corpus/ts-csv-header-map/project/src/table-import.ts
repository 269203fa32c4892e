// Turns pasted spreadsheet text (tab-separated, header row first) into typed records.

export interface ImportResult {
  records: Record<string, string>[];
  warnings: string[];
}

export function splitRows(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => line.split("\t").map((cell) => cell.trim()));
}

export function headerKeys(header: string[]): string[] {
  return header.map((name, index) => (name === "" ? `column${index + 1}` : name.toLowerCase().replace(/\s+/g, "_")));
}

export function importTable(text: string): ImportResult {
  const rows = splitRows(text);
  const warnings: string[] = [];
  if (rows.length === 0) return { records: [], warnings: ["nothing to import"] };
  const keys = headerKeys(rows[0] ?? []);
  const records: Record<string, string>[] = [];
  for (let i = 2; i < rows.length; i += 1) {
    const row = rows[i] ?? [];
    if (row.length !== keys.length) warnings.push(`row ${i + 1} has ${row.length} cells, expected ${keys.length}`);
    const record: Record<string, string> = {};
    keys.forEach((key, column) => {
      record[key] = row[column] ?? "";
    });
    records.push(record);
  }
  return { records, warnings };
}
