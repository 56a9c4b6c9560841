export { AuthModule } from './auth.module';
export { ApiKeyVerifier } from './api-key.verifier';
