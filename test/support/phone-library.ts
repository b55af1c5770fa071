import { loadPhoneLibrary } from '../../shared/policy/phone';

/**
 * A vitest setup file: a bundle `require`s libphonenumber-js from its lazy
 * chunk on first use, which the test runner cannot do with a TypeScript
 * chunk, so it is loaded here before any test runs. The bundles' own path is
 * exercised by the integration tests.
 */
await loadPhoneLibrary();
