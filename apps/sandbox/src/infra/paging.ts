import type { PageQuery } from './paging.dto';

export interface Paging {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
}

export function paging(query: PageQuery): Paging {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 100;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

export interface Page<T> {
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
  items: T[];
}

export function pageOf<T>(p: Paging, totalItems: number, items: T[]): Page<T> {
  return {
    page: p.page,
    pageSize: p.pageSize,
    totalItems,
    totalPages: Math.ceil(totalItems / p.pageSize),
    items,
  };
}
