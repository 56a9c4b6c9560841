/** The Link header of a paged answer: the same request with `cursor` set to the next page's. */
export function nextPageLink(url: string, cursor: string): string {
  const [path, search = ''] = url.split('?', 2);
  const params = new URLSearchParams(search);
  params.set('cursor', cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}
