// Builds and parses URL query strings for the search page (arrays repeat the key).

function isEmpty(value) {
  return value === undefined || value === null || value === "";
}

export function buildQuery(params) {
  const pairs = [];
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (!isEmpty(value)) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
  }
  return pairs.length ? `?${pairs.join("&")}` : "";
}

export function parseQuery(search) {
  const params = {};
  const text = search.startsWith("?") ? search.slice(1) : search;
  for (const part of text.split("&")) {
    if (!part) continue;
    const [rawKey, rawValue = ""] = part.split("=");
    const key = decodeURIComponent(rawKey);
    const value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    if (key in params) params[key] = [].concat(params[key], value);
    else params[key] = value;
  }
  return params;
}

export function withParam(search, key, value) {
  return buildQuery({ ...parseQuery(search), [key]: value });
}
