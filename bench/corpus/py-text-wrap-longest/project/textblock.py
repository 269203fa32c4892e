"""Plain-text table and paragraph formatting for CLI output."""


def wrap(text, width):
    words = text.split()
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def column_widths(rows):
    if not rows:
        return []
    columns = zip(*rows)
    return [min(len(str(cell)) for cell in column) for column in columns]


def render_table(rows, gap=2):
    widths = column_widths(rows)
    out = []
    for row in rows:
        cells = [str(cell).ljust(w) for cell, w in zip(row, widths)]
        out.append((" " * gap).join(cells).rstrip())
    return "\n".join(out)


def indent(lines, prefix="  "):
    return [prefix + line if line else line for line in lines]
