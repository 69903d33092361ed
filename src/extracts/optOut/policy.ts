// Moved to src/core/release/optOutPolicy.ts (publications use it too); this re-export goes once every import is updated.
export * from '../../core/release/optOutPolicy.js';
