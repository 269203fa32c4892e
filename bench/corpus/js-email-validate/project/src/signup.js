// Validates sign-up forms: e-mail shape, allowed company domains and password rules.

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;

export function normalizeEmail(email) {
  return String(email ?? "").trim().toLowerCase();
}

export function domainOf(email) {
  const at = email.lastIndexOf("@");
  return at === -1 ? "" : email.slice(at + 1);
}

export function passwordProblems(password) {
  const problems = [];
  if (password.length < 10) problems.push("at least 10 characters");
  if (!/[0-9]/.test(password)) problems.push("a digit");
  if (!/[A-Z]/.test(password)) problems.push("an upper-case letter");
  return problems;
}

export function validateSignup(form, allowedDomains = []) {
  const errors = {};
  const email = normalizeEmail(form.email);
  if (!EMAIL_SHAPE.test(email)) {
    errors.email = "enter a valid e-mail address";
  } else if (allowedDomains.length > 0 && allowedDomains.includes(domainOf(email))) {
    errors.email = `use your company address (${allowedDomains.join(", ")})`;
  }
  const problems = passwordProblems(form.password ?? "");
  if (problems.length > 0) errors.password = `password needs ${problems.join(", ")}`;
  return { ok: Object.keys(errors).length === 0, email, errors };
}
