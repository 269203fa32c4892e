// Declarative validation rules for HTML form submissions.

export type FormValues = Record<string, string | undefined>;

export interface FieldRule {
  field: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
}

export function checkField(values: FormValues, rule: FieldRule): string | null {
  const raw = values[rule.field];
  if (rule.required && (raw === undefined || raw.trim() === "")) return `${rule.field} is required`;
  const value = raw.trim();
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    return `${rule.field} must be at least ${rule.minLength} characters`;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return `${rule.field} must be at most ${rule.maxLength} characters`;
  }
  if (rule.pattern && value !== "" && !rule.pattern.test(value)) return `${rule.field} has the wrong format`;
  return null;
}

export function validateForm(values: FormValues, rules: FieldRule[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const rule of rules) {
    const problem = checkField(values, rule);
    if (problem && !(rule.field in errors)) errors[rule.field] = problem;
  }
  return errors;
}
