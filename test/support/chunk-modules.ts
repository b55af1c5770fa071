import { loadPhoneLibrary } from '../../shared/policy/phone';
import { loadPublicSuffixList } from '../../shared/policy/registrable-domain';

/**
 * A vitest setup file: a bundle `require`s libphonenumber-js and the Public
 * Suffix List from their lazy chunks on first use, which the test runner
 * cannot do with a TypeScript chunk, so they are loaded here before any test
 * runs. The bundles' own path is exercised by the integration tests.
 */
await loadPhoneLibrary();
await loadPublicSuffixList();
