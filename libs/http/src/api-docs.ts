import type { OpenAPIObject } from '@nestjs/swagger';
import { AppConfigService } from '@app/config';
import { TIMEFRAME_VALUES } from '@app/core';

/**
 * Decorators are evaluated before configuration exists, so route descriptions carry
 * placeholders and timeframe enums list every timeframe the type knows. This fills
 * them in from the running configuration, so the docs never disagree with it.
 */
export const DOC_PLACEHOLDERS = {
  supportedTimeframes: '{{supportedTimeframes}}',
  allowedTimeframeList: '{{allowedTimeframeList}}',
  defaultTimeframes: '{{defaultTimeframes}}',
  defaultLookbacks: '{{defaultLookbacks}}',
  defaultPageSize: '{{defaultPageSize}}',
  maxPageSize: '{{maxPageSize}}',
} as const;

/** Placeholder texts only a feature library can write (e.g. the candles route's default lookbacks). */
export type DocFills = Partial<Record<keyof typeof DOC_PLACEHOLDERS, string>>;

export function applySettingsToApiDocs(document: OpenAPIObject, config: AppConfigService, fills: DocFills = {}): OpenAPIObject {
  const settings = {
    allowedTimeframes: config.allowedTimeframes,
    defaultTimeframes: config.defaultTimeframes,
    defaultPageSize: Math.min(config.get('CANDLES_PAGE_SIZE'), config.get('CANDLES_MAX_PAGE_SIZE')),
    maxPageSize: config.get('CANDLES_MAX_PAGE_SIZE'),
  };
  const replacements: [string, string][] = [
    [DOC_PLACEHOLDERS.supportedTimeframes, `Supported timeframes: ${settings.allowedTimeframes.join(', ')}`],
    [DOC_PLACEHOLDERS.allowedTimeframeList, settings.allowedTimeframes.join(', ')],
    [DOC_PLACEHOLDERS.defaultTimeframes, settings.defaultTimeframes.join(', ')],
    [DOC_PLACEHOLDERS.defaultPageSize, String(settings.defaultPageSize)],
    [DOC_PLACEHOLDERS.maxPageSize, String(settings.maxPageSize)],
    ...Object.entries(fills).map(([key, text]) => [DOC_PLACEHOLDERS[key as keyof DocFills], text] as [string, string]),
  ];
  visit(document, (node) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && value.includes('{{')) {
        node[key] = replacements.reduce((text, [token, filled]) => text.split(token).join(filled), value);
      }
    }
    // An enum equal to the type's full list is a timeframe enum: narrow it to what is allowed.
    if (isTimeframeEnum(node.enum)) node.enum = [...settings.allowedTimeframes];
    if (node.name === 'limit' && node.in === 'query' && isObject(node.schema)) {
      node.schema.maximum = settings.maxPageSize;
      node.schema.default = settings.defaultPageSize;
    }
  });
  return document;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

function isTimeframeEnum(value: unknown): boolean {
  return Array.isArray(value) && value.length === TIMEFRAME_VALUES.length && TIMEFRAME_VALUES.every((tf, i) => value[i] === tf);
}

function visit(node: unknown, action: (node: JsonObject) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item) => visit(item, action));
    return;
  }
  if (!isObject(node)) return;
  action(node);
  Object.values(node).forEach((child) => visit(child, action));
}
