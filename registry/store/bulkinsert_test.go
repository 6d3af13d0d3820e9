package store

import "testing"

func TestBulkInsertStatement(t *testing.T) {
	cases := []struct {
		name    string
		row     string
		dialect Dialect
		rows    int
		want    string
	}{
		{"per-row only, sqlite", "(?, ?)", SQLite, 2, "INSERT INTO t (a, b) VALUES (?1, ?2),(?3, ?4) ON CONFLICT DO NOTHING"},
		{"per-row only, postgres", "(?, ?)", Postgres, 2, "INSERT INTO t (a, b) VALUES ($1, $2),($3, $4) ON CONFLICT DO NOTHING"},
		{"common first and between", "(:1,?,:2,?)", SQLite, 3, "INSERT INTO t (a, b) VALUES (?1,?3,?2,?4),(?1,?5,?2,?6),(?1,?7,?2,?8) ON CONFLICT DO NOTHING"},
		{"common, postgres", "(:2,?,:1)", Postgres, 2, "INSERT INTO t (a, b) VALUES ($2,$3,$1),($2,$4,$1) ON CONFLICT DO NOTHING"},
		{"ten common", "(:10,?)", SQLite, 2, "INSERT INTO t (a, b) VALUES (?10,?11),(?10,?12) ON CONFLICT DO NOTHING"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBulkInsert("INSERT INTO t (a, b) VALUES ", c.row, "ON CONFLICT DO NOTHING")
			if got := b.statement(c.dialect, c.rows); got != c.want {
				t.Errorf("statement:\n got %s\nwant %s", got, c.want)
			}
		})
	}
}
