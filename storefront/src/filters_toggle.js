// On narrow screens the filters fold into a panel opened by a button (see style.css).

/** Wire the "Filter" button to open and close the filters panel. */
export function installFiltersToggle(doc) {
  const button = doc.getElementById('filters-toggle');
  const panel = doc.getElementById('filters');
  if (!button || !panel) return;
  button.addEventListener('click', () => {
    const open = !panel.classList.contains('filters--open');
    panel.classList.toggle('filters--open', open);
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? 'Filter schließen' : 'Filter';
  });
}
