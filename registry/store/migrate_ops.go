package store

// opsSchema extends operations for token operations (migration 7).
const opsSchema = `
ALTER TABLE operations ADD COLUMN request TEXT NOT NULL DEFAULT '{}';
`
