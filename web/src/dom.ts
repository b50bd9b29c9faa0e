/** A tiny element builder: the console has no framework, only this and the DOM. */
type Child = Node | string | number | false | null | undefined;
type Attrs = Record<string, string | number | boolean | undefined | ((ev: Event) => void)>;

/** `h('button', { type: 'button', onclick: go }, 'Đi')`: attributes (`on…` are listeners), then children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === false || c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's content. */
export function replace(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/**
 * A table row with a button that shows and hides a detail row under it (evidence of a statement line, of a
 * complaint); the detail is filled the first time it opens. The caller puts `toggle` in its row and `detail` after it.
 */
export function detailRow(opts: { className: string; colspan: number; show: string; hide: string; fill: (cell: HTMLElement) => void }): {
  toggle: HTMLButtonElement;
  detail: HTMLTableRowElement;
} {
  const cell = h('td', { colspan: opts.colspan });
  const detail = h('tr', { class: opts.className, hidden: true }, cell);
  let filled = false;
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'aria-expanded': 'false',
      'data-action': 'evidence',
      onclick: () => {
        const opening = detail.hidden;
        detail.hidden = !opening;
        toggle.setAttribute('aria-expanded', String(opening));
        toggle.textContent = opening ? opts.hide : opts.show;
        if (opening && !filled) {
          filled = true;
          opts.fill(cell);
        }
      },
    },
    opts.show,
  );
  return { toggle, detail };
}

/** A filter form's submit: the page again with the form's non-empty fields in its address (a view one can share). */
export function navigateWithFilters(form: HTMLFormElement, path: string, navigate: (to: string) => void): void {
  const next = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value) next.set(name, value);
  navigate(`${path}?${next}`);
}
