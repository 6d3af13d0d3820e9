package store

// operationsListSchema: an issuance's operations are listed by keyset on
// (issuance_id, id) (operations_list.go); the existing index on (status, id)
// serves the worker's claim, not this.
const operationsListSchema = `
CREATE INDEX IF NOT EXISTS operations_issuance ON operations(issuance_id, id);
`
