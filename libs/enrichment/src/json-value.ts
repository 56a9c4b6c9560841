/** A value JSON carries unchanged: what an indicator's saved state is made of. */
export type JsonValue = number | string | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
