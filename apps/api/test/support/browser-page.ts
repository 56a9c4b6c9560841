/**
 * The few browser globals the tests' in-page code (page.evaluate, waitForFunction) touches, typed
 * loosely: the Node type check has no DOM library, and adding it would change every file's globals.
 * A test declares them for itself: `declare const document: PageDocument;` (types only, nothing at run time).
 */
export interface PageElement {
  readonly id: string;
  readonly tagName: string;
  readonly outerHTML: string;
  readonly textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
  readonly offsetParent: unknown;
  readonly labels?: { readonly length: number } | null;
  readonly hidden: boolean;
  readonly value: string;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
}

export interface PageDocument {
  readonly activeElement: PageElement | null;
  readonly body: PageElement;
  readonly documentElement: { readonly scrollWidth: number };
  readonly cookie: string;
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
}

export interface PageStorage {
  readonly length: number;
  getItem(key: string): string | null;
}

export type PageStyle = (element: PageElement) => { outlineStyle: string; outlineWidth: string; backgroundColor: string };
