import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DATA_SOURCE_HEADER } from '../read-through/data-source';

const POLYGON_COMPAT_TAG = 'Polygon-compatible';

const REQUEST_ID = '4f2c3a9e-5b8d-4d0e-9a61-2c7f0b3e8d15';

/** The tag, the key header and the errors every Polygon-compatible route shares, in the provider's shape. */
export function PolygonCompatRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiTags(POLYGON_COMPAT_TAG),
    ApiHeader({ name: 'Authorization', required: false, description: '`Bearer <key>`: one way to present the key when reads need one' }),
    ApiResponse({
      status: 400,
      description: 'A parameter is malformed or cannot be served; `error` names it and why',
      example: {
        status: 'ERROR',
        request_id: REQUEST_ID,
        error: "Could not parse the time parameter: 'from'. Use YYYY-MM-DD or Unix MS Timestamps",
      },
    }),
    ApiResponse({
      status: 401,
      description: 'Reads need a key (API_KEYS_FOR_READS) and none was presented',
      example: { status: 'ERROR', request_id: REQUEST_ID, error: 'API Key was not provided' },
    }),
    ApiResponse({
      status: 403,
      description: 'The key presented is not one of API_KEYS (only when reads need a key)',
      example: {
        status: 'NOT_AUTHORIZED',
        request_id: REQUEST_ID,
        message: 'Unknown API Key: it is not one of the keys this service accepts.',
      },
    }),
    ApiResponse({
      status: 502,
      description: 'PROVIDER_PASSTHROUGH: the range was not stored and the provider could not be read',
      example: { status: 'ERROR', request_id: REQUEST_ID, error: 'The upstream provider could not be read: provider answered 500' },
    }),
  );
}

/** The header that says where an answer came from. */
export const DATA_SOURCE_DOC = {
  [DATA_SOURCE_HEADER]: {
    description:
      '`store`: read from the store as it was; `provider`: missing bars were fetched from the provider (PROVIDER_PASSTHROUGH), stored, then read',
    schema: { type: 'string', enum: ['store', 'provider'] },
  },
};
