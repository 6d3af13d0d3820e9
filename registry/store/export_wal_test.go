package store

// GenerationReadsForTest reports how many generation reads this handle has
// sent to the database; a look-up answered while nothing committed sends none
// on SQLite.
func (s *DB) GenerationReadsForTest() int64 { return s.gens.sent.Load() }
