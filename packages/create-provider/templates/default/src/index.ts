/**
 * __PACKAGE_NAME__: the __DISPLAY_NAME__ provider for Krate.
 *
 * The fake and its types are at `__PACKAGE_NAME__/testing`.
 */
import { __CAMEL__Plugin } from './__PROVIDER_TYPE__-provider.js';

export default __CAMEL__Plugin;
export { __CAMEL__Plugin, create__PASCAL__Provider } from './__PROVIDER_TYPE__-provider.js';
export type { __PASCAL__Config, __PASCAL__ConfigInput } from './__PROVIDER_TYPE__-config.js';
export { __CAMEL__Manifest } from './__PROVIDER_TYPE__-manifest.js';
