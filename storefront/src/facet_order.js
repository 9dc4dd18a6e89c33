// The filters' order: the answer's facet ordering first, then the page's own order.

// each filter by the attribute facet orderings name it with (the menu by its top level)
export const FILTERS = ['categories.lvl0', 'brand', 'attributes.color', 'price', 'in_stock'];

/** The filters to show, in order: those the ordering names (that the page has), then the rest. */
export function facetOrder(ordered) {
  const named = (Array.isArray(ordered) ? ordered : []).filter((a) => FILTERS.includes(a));
  const first = [...new Set(named)];
  return [...first, ...FILTERS.filter((a) => !first.includes(a))];
}

/** A titled filter section inside a dynamic widget's container; its inner element for the widget. */
export function filterSection(container, title, id) {
  const section = document.createElement('section');
  section.className = 'filter';
  section.dataset.testid = 'filter-section';
  section.dataset.filter = id;
  const heading = document.createElement('h2');
  heading.className = 'filter__title';
  heading.textContent = title;
  const inner = document.createElement('div');
  inner.id = id;
  inner.dataset.testid = id;
  section.append(heading, inner);
  container.append(section);
  return inner;
}
