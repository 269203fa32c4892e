/** Splits a SQL script into statements at semicolons outside single-quoted strings. */
export function splitStatements(script) {
  const statements = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    if (script[i] === "'") {
      i += 1;
      while (script[i] !== "'") {
        i += 1;
      }
    } else if (script[i] === ";") {
      pushStatement(statements, script.slice(start, i));
      start = i + 1;
    }
    i += 1;
  }
  pushStatement(statements, script.slice(start));
  return statements;
}

function pushStatement(statements, text) {
  const trimmed = text.trim();
  if (trimmed.length > 0) statements.push(trimmed);
}

/** Counts the statements of a script. */
export function countStatements(script) {
  return splitStatements(script).length;
}
