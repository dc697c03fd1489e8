import { useState, type HTMLAttributes, type Key, type ReactNode } from 'react';
import { Listy, Pagination, Spin } from 'antd';

/**
 * A list to read down and act on — notices, tasks, pairings, good practices. antd deprecated its List in 6.6
 * for Listy, which draws the rows only; what List did around them is here once, as antd's migration notes
 * say: a Spin while loading, the empty text when there is nothing, pages when there are more than `pageSize`.
 */
export function ItemList<T>({
  items,
  rowKey,
  renderItem,
  loading = false,
  empty,
  pageSize,
}: {
  items: T[];
  rowKey: (item: T) => Key;
  renderItem: (item: T) => ReactNode;
  loading?: boolean;
  empty?: ReactNode;
  pageSize?: number;
}) {
  const [page, setPage] = useState(1);
  const paged = pageSize !== undefined && items.length > pageSize;
  // A list that got shorter (after a refetch) shows its last page rather than an empty one.
  const current = paged ? Math.min(page, Math.ceil(items.length / pageSize)) : 1;
  const shown = paged ? items.slice((current - 1) * pageSize, current * pageSize) : items;
  return (
    <Spin spinning={loading}>
      {items.length === 0 ? (
        <div className={loading ? 'gj-list-loading' : 'gj-list-empty'}>{loading ? null : empty}</div>
      ) : (
        <div role="list" className="gj-list">
          <Listy<T> items={shown} rowKey={rowKey} itemRender={renderItem} />
        </div>
      )}
      {paged && <Pagination className="gj-list-pagination" size="small" align="end" showSizeChanger={false} current={current} pageSize={pageSize} total={items.length} onChange={setPage} />}
    </Spin>
  );
}

/**
 * One item of an ItemList: its title and what it is about on the left, what can be done with it on the right;
 * `children` go under the description. Other attributes (data-testid, className…) land on the item itself.
 */
export function ItemRow({
  title,
  description,
  actions,
  children,
  className,
  ...rest
}: { title: ReactNode; description?: ReactNode; actions?: ReactNode; children?: ReactNode } & Omit<HTMLAttributes<HTMLDivElement>, 'title'>) {
  return (
    <div role="listitem" className={className ? `gj-list-row ${className}` : 'gj-list-row'} {...rest}>
      <div className="gj-list-main">
        <h4 className="gj-list-title">{title}</h4>
        {description && <div className="gj-list-description">{description}</div>}
        {children}
      </div>
      {actions && <div className="gj-list-actions">{actions}</div>}
    </div>
  );
}
