package store

// termsChainSchema: a term change that alters the registry's country rule
// carries it in an operation of its own (SET_COUNTRY_RULE, signed by the
// writer key), beside the token's SET_TERMS (the admin key).
const termsChainSchema = `
ALTER TABLE term_changes ADD COLUMN country_operation_id BIGINT;
`
