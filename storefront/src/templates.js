// Templates of the hits widget: one product card, and the zero-results state.

const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

// shown when a product has no image, or its image does not load
export const PLACEHOLDER_IMAGE =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160">' +
      '<rect width="160" height="160" fill="#eef0f3"/>' +
      '<rect x="55" y="30" width="50" height="100" rx="9" fill="none" stroke="#b8bec8" stroke-width="5"/>' +
      '<circle cx="80" cy="117" r="5" fill="#b8bec8"/></svg>',
  );

// how wide a card's picture is drawn: the browser picks a thumbnail from the srcset
export const CARD_IMAGE_SIZES = '(max-width: 700px) 45vw, 240px';

function srcset(thumbnails, type) {
  return thumbnails
    .filter((t) => t && t.content_type === type && typeof t.url === 'string' && t.width > 0)
    .map((t) => `${t.url} ${t.width}w`)
    .join(', ');
}

/** The first image of a hit as {url, alt, webp, jpeg} (srcsets of its thumbnails, WebP and
 * the JPEG fallback); the placeholder only when it has none. */
export function firstImage(hit) {
  const image = Array.isArray(hit.images) ? hit.images[0] : undefined;
  if (image && typeof image.url === 'string' && image.url) {
    const thumbnails = Array.isArray(image.thumbnails) ? image.thumbnails : [];
    return {
      url: typeof hit.image === 'string' && hit.image ? hit.image : image.url,
      alt: image.alt || hit.title,
      webp: srcset(thumbnails, 'image/webp'),
      jpeg: srcset(thumbnails, 'image/jpeg'),
      placeholder: false,
    };
  }
  return { url: PLACEHOLDER_IMAGE, alt: '', webp: '', jpeg: '', placeholder: true };
}

/** A price in German notation, e.g. "1.299,00 €". */
export function formatPrice(value) {
  return typeof value === 'number' ? euro.format(value) : '';
}

function showPlaceholder(event) {
  const img = event.currentTarget;
  if (img.src === PLACEHOLDER_IMAGE) return;
  // a <source> would keep offering its srcset: drop them, then show the placeholder
  const picture = img.parentElement;
  if (picture && picture.tagName === 'PICTURE') {
    picture.querySelectorAll('source').forEach((source) => source.remove());
  }
  img.removeAttribute('srcset');
  img.src = PLACEHOLDER_IMAGE;
}

function picture(image, html) {
  if (image.placeholder) {
    return html`<img src=${image.url} alt="" data-testid="hit-image" />`;
  }
  return html`<picture>
    ${image.webp
      ? html`<source type="image/webp" srcset=${image.webp} sizes=${CARD_IMAGE_SIZES} />`
      : null}
    <img
      src=${image.url}
      srcset=${image.jpeg || undefined}
      sizes=${image.jpeg ? CARD_IMAGE_SIZES : undefined}
      alt=${image.alt}
      loading="lazy"
      decoding="async"
      data-testid="hit-image"
      onError=${showPlaceholder}
    />
  </picture>`;
}

function priceBlock(hit, html) {
  const pays = typeof hit.effective_price === 'number' ? hit.effective_price : hit.price;
  if (hit.on_sale && typeof hit.sale_price === 'number') {
    return html`<p class="hit__price hit__price--sale" data-testid="hit-price">
      <s class="hit__regular" data-testid="hit-regular-price">${formatPrice(hit.price)}</s>
      <strong class="hit__sale" data-testid="hit-sale-price">${formatPrice(hit.sale_price)}</strong>
      <span class="hit__badge">Angebot</span>
    </p>`;
  }
  return html`<p class="hit__price" data-testid="hit-price">
    <strong>${formatPrice(pays)}</strong>
  </p>`;
}

/** "3 Farben" under a card whose model comes in several colours that match the search. */
export function variantsNote(hit, html) {
  const n = typeof hit.variants === 'number' ? hit.variants : 1;
  if (n < 2) return null;
  return html`<p class="hit__variants" data-testid="hit-variants" data-variants=${n}>${n} Farben</p>`;
}

/** One product card; data attributes carry the raw values for tests and analytics. */
export function hitTemplate(hit, { html, components }) {
  const image = firstImage(hit);
  return html`<article
    class="hit"
    data-testid="hit"
    data-object-id=${hit.objectID}
    data-price=${hit.price}
    data-effective-price=${hit.effective_price}
  >
    <div class="hit__image">${picture(image, html)}</div>
    <p class="hit__brand" data-testid="hit-brand">${hit.brand || ''}</p>
    <h3 class="hit__title" data-testid="hit-title">
      ${components.Highlight({ hit, attribute: 'title' })}
    </h3>
    ${priceBlock(hit, html)}
    ${variantsNote(hit, html)}
    <p class=${hit.in_stock ? 'hit__stock' : 'hit__stock hit__stock--out'}>
      ${hit.in_stock ? 'Auf Lager' : 'Nicht vorrätig'}
    </p>
  </article>`;
}

/** The zero-results state: names the query and offers to start over. */
export function emptyTemplate(results, { html }, startOver) {
  const query = results.query ? html`„<span data-testid="no-results-query">${results.query}</span>“` : '';
  return html`<div class="no-results" data-testid="no-results">
    <p>Keine Ergebnisse${query ? html` für ${query}` : ''}.</p>
    <p>Prüfen Sie die Schreibweise oder entfernen Sie Filter.</p>
    <button type="button" class="no-results__clear" data-testid="no-results-clear" onClick=${startOver}>
      Suche und Filter zurücksetzen
    </button>
  </div>`;
}

/** A link target an editor's banner may use: a path of this shop, or an https URL. */
export function safeLink(url) {
  if (typeof url !== 'string') return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return /^https:\/\/[^\s]+$/.test(url) ? url : null;
}

/** The banners of the query rules that fired: each `userData` with a `banner` text (and `url`). */
export function bannerTemplate({ items }, { html }) {
  const banners = (Array.isArray(items) ? items : []).filter(
    (item) => item && typeof item.banner === 'string' && item.banner,
  );
  return html`${banners.map((item) => {
    const link = safeLink(item.url);
    return html`<p class="banner" data-testid="banner">
      ${link ? html`<a class="banner__link" href=${link}>${item.banner}</a>` : item.banner}
    </p>`;
  })}`;
}

/** One suggested query: the typed part highlighted; choosing it searches for it. */
export function suggestionTemplate(hit, { html, components }, searchFor) {
  return html`<button
    type="button"
    class="suggestion"
    data-testid="suggestion"
    data-query=${hit.query}
    onClick=${() => searchFor(hit.query)}
  >
    ${components.Highlight({ hit, attribute: 'query' })}
  </button>`;
}
