// Cursor-free pagination for list views: page math and the visible page-number window.

export const DEFAULT_PER_PAGE = 25;

export function totalPages(totalItems, perPage = DEFAULT_PER_PAGE) {
  if (perPage <= 0) throw new RangeError(`perPage must be positive, got ${perPage}`);
  return Math.max(1, Math.ceil(totalItems / perPage));
}

export function clampPage(page, pages) {
  if (!Number.isInteger(page) || page < 1) return 1;
  return page > pages ? pages : page;
}

export function pageInfo(totalItems, page, perPage = DEFAULT_PER_PAGE) {
  const pages = totalPages(totalItems, perPage);
  const current = clampPage(page, pages);
  return {
    page: current,
    pages,
    first: (current - 1) * perPage + 1,
    last: Math.min(current * perPage, totalItems),
    hasPrevious: current > 1,
    hasNext: current < pages,
  };
}

export function pageWindow(current, pages, width = 5) {
  const half = Math.floor(width / 2);
  let start = Math.max(1, current - half);
  const end = Math.min(pages, start + width - 1);
  start = Math.max(1, end - width + 1);
  const numbers = [];
  for (let n = start; n < end; n += 1) numbers.push(n);
  return numbers;
}
