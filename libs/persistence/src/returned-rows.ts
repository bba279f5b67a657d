/** TypeORM answers UPDATE/DELETE … RETURNING with [rows, count], other statements with rows. */
export function returnedRows(result: unknown): unknown[] {
  const list = result as unknown[];
  return Array.isArray(list[0]) && typeof list[1] === 'number' ? (list[0] as unknown[]) : list;
}
