"""A small CSV line splitter for the import tool (one record per line, double quotes, "" escapes)."""


def split_line(line, sep=","):
    fields = []
    current = []
    in_quotes = False
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == '"':
            if in_quotes and i + 1 < len(line) and line[i + 1] == '"':
                current.append('"')
                i += 2
                continue
            in_quotes = not in_quotes
        elif ch == sep and in_quotes:
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    if in_quotes:
        raise ValueError(f"unterminated quote in: {line!r}")
    fields.append("".join(current))
    return fields


def parse_rows(text, sep=","):
    rows = []
    for raw in text.splitlines():
        if raw.strip():
            rows.append(split_line(raw, sep))
    return rows


def to_records(text, sep=","):
    rows = parse_rows(text, sep)
    if not rows:
        return []
    header, *body = rows
    return [dict(zip(header, row)) for row in body]
