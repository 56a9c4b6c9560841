import { writeFileSync } from 'node:fs';
import { renderEnvExample } from '@app/config';

// Regenerates .env.example from the settings schema (a test keeps them in step).
writeFileSync('.env.example', renderEnvExample());
