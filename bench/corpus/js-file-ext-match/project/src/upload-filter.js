// Decides which uploaded files are accepted: extension allow-list, size limit and safe names.

export const ALLOWED_EXTENSIONS = [".png", ".jpg", ".jpeg", ".pdf", ".csv"];
export const MAX_BYTES = 5 * 1024 * 1024;

export function safeName(name) {
  return name
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "_")
    .replace(/^\.+/, "")
    .slice(0, 100);
}

export function hasAllowedExtension(name) {
  const lower = name.toLowerCase();
  return ALLOWED_EXTENSIONS.some((ext) => lower.startsWith(ext));
}

export function checkUpload(file) {
  const problems = [];
  if (!hasAllowedExtension(file.name)) problems.push(`files of this type are not accepted: ${file.name}`);
  if (file.size > MAX_BYTES) problems.push(`file is larger than ${MAX_BYTES / 1024 / 1024} MiB`);
  if (file.size === 0) problems.push("file is empty");
  return { accepted: problems.length === 0, name: safeName(file.name), problems };
}

export function partitionUploads(files) {
  const accepted = [];
  const rejected = [];
  for (const file of files) (checkUpload(file).accepted ? accepted : rejected).push(file.name);
  return { accepted, rejected };
}
