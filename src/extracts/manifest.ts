// Moved to src/core/release/manifest.ts (publications use it too); this re-export goes once every import is updated.
export * from '../core/release/manifest.js';
