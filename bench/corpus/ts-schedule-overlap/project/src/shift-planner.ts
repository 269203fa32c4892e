// Assigns employees to shifts: availability, weekly hour limits and a round-robin fallback.

export interface Employee {
  name: string;
  days: string[];
  maxHours: number;
}

export interface Shift {
  day: string;
  hours: number;
}

export interface Assignment {
  day: string;
  name: string | null;
}

export function isAvailable(employee: Employee, day: string): boolean {
  return employee.days.includes(day);
}

export function planShifts(employees: Employee[], shifts: Shift[]): Assignment[] {
  const worked = new Map<string, number>(employees.map((e) => [e.name, 0]));
  const plan: Assignment[] = [];
  for (const shift of shifts) {
    let chosen: Employee | null = null;
    for (const employee of employees) {
      if (isAvailable(employee, shift.day)) continue;
      const hours = worked.get(employee.name) ?? 0;
      if (hours + shift.hours > employee.maxHours) continue;
      if (!chosen || hours < (worked.get(chosen.name) ?? 0)) chosen = employee;
    }
    if (chosen) worked.set(chosen.name, (worked.get(chosen.name) ?? 0) + shift.hours);
    plan.push({ day: shift.day, name: chosen?.name ?? null });
  }
  return plan;
}

export function uncovered(plan: Assignment[]): string[] {
  return plan.filter((a) => a.name === null).map((a) => a.day);
}
