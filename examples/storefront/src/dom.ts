/** The element with `id`, typed; a missing element is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is missing from index.html`);
  return found;
}

/** Creates an element with text content and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = '',
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** Shows or hides the page-wide message line (`kind` error by default). */
export function showMessage(text: string | null, kind: 'error' | 'info' = 'error'): void {
  const message = byId('message', HTMLParagraphElement);
  message.hidden = text === null;
  message.textContent = text ?? '';
  message.classList.toggle('info', kind === 'info');
}
