// Kept in sync with package.json by a unit test; a constant avoids reading package.json at run time in a bundle.
export const APP_VERSION = '0.1.0'
