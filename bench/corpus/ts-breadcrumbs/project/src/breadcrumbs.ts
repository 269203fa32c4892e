// Builds breadcrumb trails for the docs site from URL paths.

export interface Crumb {
  label: string;
  href: string;
}

export function segments(path: string): string[] {
  return path.split("/").filter((part) => part.length > 0);
}

export function labelFor(segment: string): string {
  const words = decodeURIComponent(segment).replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function breadcrumbs(path: string, homeLabel = "Home"): Crumb[] {
  const parts = segments(path);
  const crumbs: Crumb[] = [{ label: homeLabel, href: "/" }];
  parts.forEach((part, index) => {
    crumbs.push({ label: labelFor(part), href: `/${parts.slice(0, index).join("/")}` });
  });
  return crumbs;
}

export function renderTrail(crumbs: Crumb[], separator = " › "): string {
  return crumbs
    .map((crumb, index) => (index === crumbs.length - 1 ? crumb.label : `[${crumb.label}](${crumb.href})`))
    .join(separator);
}
