// The storefront: InstantSearch.js widgets over the read API's Algolia protocol.
import instantsearch from 'instantsearch.js/es';
// one module per widget: the widgets barrel would bundle every widget there is
import clearRefinements from 'instantsearch.js/es/widgets/clear-refinements/clear-refinements.js';
import configure from 'instantsearch.js/es/widgets/configure/configure.js';
import dynamicWidgets from 'instantsearch.js/es/widgets/dynamic-widgets/dynamic-widgets.js';
import hierarchicalMenu from 'instantsearch.js/es/widgets/hierarchical-menu/hierarchical-menu.js';
import hits from 'instantsearch.js/es/widgets/hits/hits.js';
import index from 'instantsearch.js/es/widgets/index/index.js';
import pagination from 'instantsearch.js/es/widgets/pagination/pagination.js';
import queryRuleCustomData from 'instantsearch.js/es/widgets/query-rule-custom-data/query-rule-custom-data.js';
import rangeInput from 'instantsearch.js/es/widgets/range-input/range-input.js';
import refinementList from 'instantsearch.js/es/widgets/refinement-list/refinement-list.js';
import searchBox from 'instantsearch.js/es/widgets/search-box/search-box.js';
import sortBy from 'instantsearch.js/es/widgets/sort-by/sort-by.js';
import stats from 'instantsearch.js/es/widgets/stats/stats.js';
import toggleRefinement from 'instantsearch.js/es/widgets/toggle-refinement/toggle-refinement.js';

import { facetOrder, filterSection } from './facet_order.js';
import { installFiltersToggle } from './filters_toggle.js';
import { createSearchClient } from './search_client.js';
import { bannerTemplate, emptyTemplate, hitTemplate, suggestionTemplate } from './templates.js';

const INDEX = 'products';
const SUGGESTIONS_INDEX = 'products_query_suggestions'; // popular searches (the read API builds it)
const PRICE_ATTRIBUTE = 'price';
const CATEGORY_LEVELS = ['categories.lvl0', 'categories.lvl1', 'categories.lvl2', 'categories.lvl3'];

const search = instantsearch({
  indexName: INDEX,
  searchClient: createSearchClient(),
  routing: true, // the search state lives in the URL: shareable, and back/forward work
  // never load the insights library from a CDN: the page talks to its own origin only
  insights: false,
  numberLocale: 'de-DE',
  future: { preserveSharedStateOnUnmount: true },
});

/** Clear the query and every refinement, keeping the chosen sort order. */
function startOver() {
  search.setUiState((state) => {
    const sort = state[INDEX] && state[INDEX].sortBy;
    return { ...state, [INDEX]: sort ? { sortBy: sort } : {} };
  });
}

const count = new Intl.NumberFormat('de-DE');

/** Search for a suggested query, as if typed: the refinements and the sort stay. */
function searchFor(query) {
  search.setUiState((state) => ({ ...state, [INDEX]: { ...state[INDEX], query, page: undefined } }));
}

search.addWidgets([
  // one card per model: its colours are variants of one group (`group_id`), counted on the card;
  // facet values count models too, so a value's count is the number of cards it leaves
  // (facetingAfterDistinct: it costs Elasticsearch more, see docs/benchmarks.md)
  configure({
    hitsPerPage: 24,
    attributesToHighlight: ['title'],
    distinct: 1,
    facetingAfterDistinct: true,
  }),
  searchBox({
    container: '#searchbox',
    placeholder: 'Produkte, Marken, Geräte suchen …',
    showLoadingIndicator: true,
  }),
  stats({
    container: '#stats',
    templates: {
      text: (data, { html }) =>
        html`<span data-testid="nb-hits" data-nb-hits=${data.nbHits}>${count.format(data.nbHits)}</span>${' '}${data.nbHits === 1 ? 'Produkt' : 'Produkte'}`,
    },
  }),
  sortBy({
    container: '#sort-by',
    items: [
      { label: 'Relevanz', value: INDEX },
      { label: 'Preis aufsteigend', value: `${INDEX}_price_asc` },
      { label: 'Preis absteigend', value: `${INDEX}_price_desc` },
      { label: 'Neueste zuerst', value: `${INDEX}_newest` },
      { label: 'Beste Bewertung', value: `${INDEX}_rating_desc` },
    ],
  }),
  clearRefinements({
    container: '#clear-refinements',
    templates: { resetLabel: () => 'Alle Filter zurücksetzen' },
  }),
  queryRuleCustomData({ container: '#banner', templates: { default: bannerTemplate } }),
  // the filters in the order the answer's renderingContent gives (query rules, /v1/settings),
  // the ones it leaves out after them in the page's own order
  dynamicWidgets({
    container: '#dynamic-filters',
    facets: [], // only the filters below are counted, not every facet there is
    transformItems: (attributes) => facetOrder(attributes),
    widgets: [
      (container) =>
        hierarchicalMenu({
          container: filterSection(container, 'Kategorie', 'categories'),
          attributes: CATEGORY_LEVELS,
          limit: 12,
          showMore: true,
          showMoreLimit: 50,
          templates: { showMoreText: ({ isShowingMore }) => (isShowingMore ? 'Weniger' : 'Mehr') },
        }),
      (container) =>
        refinementList({
          container: filterSection(container, 'Marke', 'brands'),
          attribute: 'brand',
          searchable: true,
          searchablePlaceholder: 'Marke suchen …',
          showMore: true,
          showMoreLimit: 40,
          templates: {
            showMoreText: ({ isShowingMore }) => (isShowingMore ? 'Weniger' : 'Mehr'),
            searchableNoResults: () => 'Keine Marke gefunden',
          },
        }),
      (container) =>
        refinementList({
          container: filterSection(container, 'Farbe', 'colors'),
          attribute: 'attributes.color',
          searchable: true,
          searchablePlaceholder: 'Farbe suchen …',
          templates: { searchableNoResults: () => 'Keine Farbe gefunden' },
        }),
      (container) =>
        rangeInput({
          container: filterSection(container, 'Preis (€)', 'price'),
          attribute: PRICE_ATTRIBUTE,
          precision: 2,
          templates: { separatorText: () => 'bis', submitText: () => 'OK' },
        }),
      (container) =>
        toggleRefinement({
          container: filterSection(container, 'Verfügbarkeit', 'in-stock'),
          attribute: 'in_stock',
          on: true,
          templates: { labelText: () => 'Nur Artikel auf Lager' },
        }),
    ],
  }),
  hits({
    container: '#hits',
    templates: {
      item: hitTemplate,
      empty: (results, helpers) => emptyTemplate(results, helpers, startOver),
    },
  }),
  pagination({ container: '#pagination', padding: 2, showFirst: false, showLast: false }),
  // popular searches matching what is typed, under the search box (one more query of the
  // same multi-query; it inherits the query as typed)
  index({ indexName: SUGGESTIONS_INDEX, indexId: 'suggestions' }).addWidgets([
    configure({ hitsPerPage: 5 }),
    hits({
      container: '#suggestions',
      // not the query already searched
      transformItems: (items, { results }) =>
        items.filter((item) => item.query !== ((results && results.query) || '').trim().toLowerCase()),
      templates: {
        item: (hit, helpers) => suggestionTemplate(hit, helpers, searchFor),
        empty: () => '',
      },
    }),
  ]),
]);

// a failed search (read API down, a 5xx) shows a notice instead of silently stale results
const searchError = document.getElementById('search-error');
search.on('error', () => {
  searchError.hidden = false;
});
search.on('render', () => {
  if (search.status !== 'error') searchError.hidden = true;
});

search.start();
installFiltersToggle(document);
