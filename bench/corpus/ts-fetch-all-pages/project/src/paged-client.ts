// Walks a paginated HTTP API (page tokens) and collects every item; the page fetcher is injected.

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export type PageFetcher<T> = (token: string | undefined) => Promise<Page<T>>;

export class TooManyPagesError extends Error {
  constructor(limit: number) {
    super(`stopped after ${limit} pages; raise maxPages if the listing really is that long`);
    this.name = "TooManyPagesError";
  }
}

export async function fetchAllPages<T>(fetchPage: PageFetcher<T>, token?: string, pagesLeft = 50): Promise<T[]> {
  if (pagesLeft === 0) throw new TooManyPagesError(50);
  const page = await fetchPage(token);
  if (!page.nextToken) return page.items;
  const rest = fetchAllPages(fetchPage, page.nextToken, pagesLeft - 1);
  return [...page.items, ...rest];
}

export async function countItems<T>(fetchPage: PageFetcher<T>, predicate: (item: T) => boolean): Promise<number> {
  const items = await fetchAllPages(fetchPage);
  return items.filter(predicate).length;
}

export function pagesFrom<T>(pages: T[][]): PageFetcher<T> {
  return async (token) => {
    const index = token === undefined ? 0 : Number(token);
    const items = pages[index] ?? [];
    return index + 1 < pages.length ? { items, nextToken: String(index + 1) } : { items };
  };
}
